/**
 * Core's metrics (the names and labels pup reports under) in a fresh Prometheus registry. The
 * registry itself is core/src/shared/metrics-registry.ts; HTTP request counting is
 * http-metrics.ts and `GET /metrics` is metrics-route.ts.
 */
import {
  type Counter,
  type Gauge,
  type Histogram,
  MetricsRegistry,
} from "../../shared/metrics-registry";

/** Acceptance must stay far below the edge's 700 ms deadline; buckets resolve the low end. */
export const ACCEPTANCE_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

/**
 * How a forwarded payload ended: `accepted` (202), `duplicate` (200), `forgotten` (200: its
 * author was forgotten since, so it is not stored, ADR-034), or why it was refused.
 */
export type AcceptanceResult = "accepted" | "duplicate" | "forgotten" | "invalid" | "unavailable";

/** Core's metrics. */
export interface CoreMetrics {
  registry: MetricsRegistry;
  /** `pup_http_requests_total{method,route,status}` */
  httpRequests: Counter;
  /** `pup_events_accepted_total{result}` per forwarded payload. */
  eventsAccepted: Counter;
  /** `pup_acceptance_seconds`: one forwarded request, from first byte read to answer. */
  acceptanceSeconds: Histogram;
  /** `pup_queue_depth{queue,state}`, refreshed on every scrape. */
  queueDepth: Gauge;
  /** `pup_working_memory_lookups_total{result}`: hit, stale, miss or unavailable (ADR-015). */
  workingMemoryLookups: Counter;
  /** `pup_mood_transitions_total{from,to}`: stored changes of mood (ADR-020). */
  moodTransitions: Counter;
  /** `pup_reply_claims_stuck`: reply claims older than their lease, refreshed per scrape. */
  replyClaimsStuck: Gauge;
}

/** Creates core's metrics in a fresh registry (one per process, or per test). */
export function createCoreMetrics(): CoreMetrics {
  const registry = new MetricsRegistry();
  return {
    registry,
    httpRequests: registry.counter("pup_http_requests_total", "HTTP requests served by core.", [
      "method",
      "route",
      "status",
    ]),
    eventsAccepted: registry.counter(
      "pup_events_accepted_total",
      "Forwarded Slack payloads by outcome (accepted, duplicate, forgotten, invalid, unavailable).",
      ["result"],
    ),
    acceptanceSeconds: registry.histogram(
      "pup_acceptance_seconds",
      "Time to accept one POST /internal/slack request.",
      ACCEPTANCE_BUCKETS_SECONDS,
    ),
    queueDepth: registry.gauge("pup_queue_depth", "Jobs per queue and state.", ["queue", "state"]),
    workingMemoryLookups: registry.counter(
      "pup_working_memory_lookups_total",
      "Live-conversation reads by working memory's outcome (hit, stale, miss, unavailable).",
      ["result"],
    ),
    moodTransitions: registry.counter(
      "pup_mood_transitions_total",
      "Stored changes of pup's mood, by the mood left and the mood entered.",
      ["from", "to"],
    ),
    replyClaimsStuck: registry.gauge(
      "pup_reply_claims_stuck",
      "Reply claims neither sent nor failed after their lease: answers that may be lost.",
      [],
    ),
  };
}
