/**
 * An open-loop, fixed-rate load run for latency: request i is due at start + i / rate, spread
 * evenly over `connections` lanes (at most one request in flight per lane), and its latency is
 * counted from when it was DUE, not from when it was sent, so a Worker that falls behind cannot
 * hide its queue (no coordinated omission).
 *
 * autocannon's `overallRate` is not used for this: each of its connections sends its whole
 * per-second quota in a burst at the start of every second, and its coordinated-omission
 * correction back-fills one sample per millisecond of any latency over 1 ms at these rates,
 * which together reported ~500 ms p99 for a bare Worker answering in under 1 ms.
 */
import type { LoadResult, PlannedRequest } from "./load-plan";

export interface FixedRatePlan {
  origin: string;
  /** Requests per second, across all lanes. */
  rate: number;
  /** Concurrent lanes (at most one request in flight each). */
  connections: number;
  durationSeconds: number;
  requests: PlannedRequest[];
}

/**
 * Seconds sent at the same rate before measuring, and not counted: the generator's own first
 * requests (connection set-up, JIT of its fetch path) otherwise land in the p99 of a run that
 * only has a few hundred samples.
 */
export const WARMUP_SECONDS = 1;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Runs the plan and reports like autocannon does (latencies in milliseconds). */
export async function runFixedRate(plan: FixedRatePlan): Promise<LoadResult> {
  const warmup = Math.round(plan.rate * WARMUP_SECONDS);
  const total = warmup + Math.round(plan.rate * plan.durationSeconds);
  const intervalMs = 1000 / plan.rate;
  const latencies: number[] = [];
  let non2xx = 0;
  const statuses: Record<string, number> = {};
  let errors = 0;
  const start = performance.now() + 50;
  const measuredFrom = start + warmup * intervalMs;

  async function lane(first: number): Promise<void> {
    for (let i = first; i < total; i += plan.connections) {
      const due = start + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      const request = plan.requests[i % plan.requests.length];
      if (!request) continue;
      try {
        const response = await fetch(plan.origin + request.path, {
          method: "POST",
          headers: request.headers,
          body: request.body,
        });
        await response.arrayBuffer();
        if (i < warmup) continue;
        if (response.status < 200 || response.status > 299) non2xx += 1;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        latencies.push(performance.now() - due);
      } catch {
        if (i >= warmup) errors += 1;
      }
    }
  }

  await Promise.all(Array.from({ length: plan.connections }, (_, i) => lane(i)));
  const elapsedSeconds = (performance.now() - measuredFrom) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    responses: latencies.length,
    non2xx,
    errors,
    timeouts: 0,
    statuses,
  };
}
