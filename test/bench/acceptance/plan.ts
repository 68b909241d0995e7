/**
 * What the acceptance bench's load generator is asked to send and what it reports; shared by
 * the generator process (load.ts) and the bench (../acceptance.bench.ts).
 */

export interface AcceptancePlan {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  path: string;
  /** CORE_SHARED_SECRET of the server under test. */
  secret: string;
  teamId: string;
  /** Prefix of the event ids, so runs never collide. */
  idPrefix: string;
  /** Requests to send; each is a distinct event with a fresh signature. */
  count: number;
  connections: number;
}

export interface AcceptanceResult {
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}
