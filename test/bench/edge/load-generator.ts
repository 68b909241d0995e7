/**
 * The edge benchmark's load generator, run as its own process (`bun load-generator.ts FILE`) so
 * its CPU never competes inside the process that hosts workerd's parent. FILE is a JSON
 * {@link LoadPlan}; autocannon (one thread) cycles through the plan's requests and this prints
 * one JSON {@link LoadResult} line on stdout.
 */
import autocannon from "autocannon";

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
}

async function main(file: string): Promise<void> {
  const plan = (await Bun.file(file).json()) as LoadPlan;
  const result = await autocannon({
    url: plan.origin,
    connections: plan.connections,
    duration: plan.durationSeconds,
    method: "POST",
    requests: plan.requests.map((request) => ({
      method: "POST",
      path: request.path,
      headers: request.headers,
      body: request.body,
    })),
  });
  const out: LoadResult = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responses: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  console.log(JSON.stringify(out));
}

const file = process.argv[2];
if (!file) {
  console.error("usage: bun load-generator.ts PLAN.json");
  process.exit(2);
}
await main(file);
