/**
 * What a load run is asked to do and what it reports: shared by the generator process
 * (load-generator.ts, fixed-rate.ts) and the bench that starts it (load-run.ts).
 */

/** One pre-built request; autocannon cycles through them in order. */
export interface PlannedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What to send where, and for how long. */
export interface LoadPlan {
  /** Origin of the Worker's direct socket, e.g. http://127.0.0.1:41234 */
  origin: string;
  connections: number;
  durationSeconds: number;
  /**
   * Requests per second across all connections, sent open-loop by fixed-rate.ts (for latency);
   * absent: autocannon as fast as the Worker answers (saturation).
   */
  overallRate?: number;
  requests: PlannedRequest[];
}

/** What one run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses counted (2xx and not); `non2xx` of them were not 2xx. */
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses per HTTP status, e.g. `{ "200": 9000, "503": 3 }`. */
  statuses: Record<string, number>;
}
