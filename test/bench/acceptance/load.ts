/**
 * The acceptance bench's load generator, run as its own process (`bun load.ts PLAN.json`) so
 * its CPU does not compete inside the server's process. It signs `count` distinct forwarded
 * events (fresh signatures: core refuses replays) before starting, sends each once with
 * autocannon, records every response time, and prints one JSON {@link AcceptanceResult} line.
 */
import autocannon from "autocannon";
import { signCoreRequest } from "../../../protocol/core-signature";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { loadCounts, runWithPlanFile } from "../child-process";
import { percentile } from "../stats";
import type { AcceptancePlan, AcceptanceResult } from "./plan";

/** A forwarded `app_mention` the size of a typical Slack delivery. */
function forwarded(plan: AcceptancePlan, i: number): ForwardedPayload {
  const id = `${plan.idPrefix}${i}`;
  return {
    version: 1,
    kind: "event",
    id,
    teamId: plan.teamId,
    receivedAt: new Date().toISOString(),
    retry: { num: 0, reason: null },
    payload: {
      token: "verification-token-unused",
      team_id: plan.teamId,
      api_app_id: "ABENCH",
      type: "event_callback",
      event_id: id,
      event_time: 1_700_000_000 + i,
      event: {
        type: "app_mention",
        user: `U${i % 50}`,
        channel: `C${i % 8}`,
        channel_type: "channel",
        text: `<@UPUP> request ${i}: what did we decide about the release train last week?`,
        ts: `${1_700_000_000 + i}.000100`,
        event_ts: `${1_700_000_000 + i}.000100`,
      },
      authorizations: [{ team_id: plan.teamId, user_id: "UPUP", is_bot: true }],
    },
  };
}

async function main(file: string): Promise<void> {
  const plan = (await Bun.file(file).json()) as AcceptancePlan;
  const now = Date.now() / 1000;
  const requests = await Promise.all(
    Array.from({ length: plan.count }, async (_, i) => {
      const body = JSON.stringify(forwarded(plan, i));
      const headers = {
        "content-type": "application/json",
        ...(await signCoreRequest(plan.secret, body, now)),
      };
      return { body, headers };
    }),
  );

  let cursor = 0;
  const times: number[] = [];
  const result = await autocannon({
    url: `${plan.origin}${plan.path}`,
    connections: plan.connections,
    amount: plan.count,
    method: "POST",
    setupClient: (client) => {
      client.on("response", (_status: number, _bytes: number, responseTime: number) => {
        times.push(responseTime);
      });
    },
    requests: [
      {
        // One shared cursor: every request is a distinct, never replayed delivery.
        setupRequest: (request) => {
          const next = requests[cursor++ % requests.length];
          if (!next) return request;
          return { ...request, method: "POST", headers: next.headers, body: next.body };
        },
      },
    ],
  });
  const out: AcceptanceResult = {
    ...loadCounts(result),
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    p99Ms: percentile(times, 99),
  };
  console.log(JSON.stringify(out));
}

await runWithPlanFile("load.ts", main);
