/**
 * Per-isolate counters of what the edge did with requests, surfaced by `GET /healthz`. They are
 * approximate by nature (each isolate counts its own and resets on eviction) and meant for
 * spotting trends, not for accounting.
 */

export const EDGE_COUNTER_NAMES = [
  "forwarded",
  "queued",
  "forward_failed",
  "rejected",
  "too_large",
  "malformed",
  "dropped",
  "ignored",
  "rate_limited",
] as const;

export type EdgeCounterName = (typeof EDGE_COUNTER_NAMES)[number];

/** Counters owned by one app instance (no module-level state). */
export interface EdgeCounters {
  increment(name: EdgeCounterName): void;
  /** A copy of the current values, every name present. */
  snapshot(): Record<EdgeCounterName, number>;
}

/** Creates a fresh set of counters, all zero. */
export function createEdgeCounters(): EdgeCounters {
  const values = Object.fromEntries(EDGE_COUNTER_NAMES.map((name) => [name, 0])) as Record<
    EdgeCounterName,
    number
  >;
  return {
    increment(name) {
      values[name] += 1;
    },
    snapshot: () => ({ ...values }),
  };
}
