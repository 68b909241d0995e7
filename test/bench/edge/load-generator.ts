/**
 * The edge benchmark's load generator, run as its own process (`bun load-generator.ts FILE`) so
 * its CPU never competes inside the process that hosts workerd's parent. FILE is a JSON
 * {@link LoadPlan}; autocannon (one thread) cycles through the plan's requests as fast as the
 * Worker answers, or, for a plan with a rate, fixed-rate.ts sends them at that rate; either way
 * this prints one JSON {@link LoadResult} line on stdout.
 */
import autocannon from "autocannon";
import { loadCounts, runWithPlanFile } from "../child-process";
import { runFixedRate } from "./fixed-rate";
import type { LoadPlan, LoadResult } from "./load-plan";

export type { LoadPlan, LoadResult, PlannedRequest } from "./load-plan";

async function main(file: string): Promise<void> {
  const plan = (await Bun.file(file).json()) as LoadPlan;
  if (plan.overallRate) {
    const { overallRate: rate, ...rest } = plan;
    console.log(JSON.stringify(await runFixedRate({ ...rest, rate })));
    return;
  }
  let cursor = 0;
  const result = await autocannon({
    url: plan.origin,
    connections: plan.connections,
    duration: plan.durationSeconds,
    method: "POST",
    // One shared cursor over the pool for all connections, so concurrent requests are distinct
    // deliveries in pool order. (A list of `requests` would make every connection replay the
    // pool from its start in lockstep: the same event, user and workspace on all 50 at once,
    // which no Slack workspace sends and which defeats per-key caches such as rate-limit
    // leases.)
    requests: [
      {
        setupRequest: (request) => {
          const next = plan.requests[cursor++ % plan.requests.length];
          if (!next) return request;
          return {
            ...request,
            method: "POST",
            path: next.path,
            headers: next.headers,
            body: next.body,
          };
        },
      },
    ],
  });
  const out: LoadResult = {
    ...loadCounts(result),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
  console.log(JSON.stringify(out));
}

await runWithPlanFile("load-generator.ts", main);
