// A reply claim whose process died before it was recorded shows on /metrics as
// `pup_reply_claims_stuck` and in the log (issue 14, point 12). Real PostgreSQL bot_replies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createDb, type DbHandle } from "../../../../db/client";
import { uniqueName } from "../../../../test/setup/isolation";
import { createLogger } from "../../adapters/pino/logger";
import { createSqlBotReplyLog } from "../../adapters/sql/bot-reply-log";
import type { BotReplyLog } from "../../ports/bot-reply-log";
import { createCoreMetrics } from "./metrics";
import { metricsRoute } from "./metrics-route";
import { REPLY_CLAIM_LEASE_MS } from "./stuck-claims";

let handle: DbHandle;
let log: BotReplyLog;

beforeAll(() => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  handle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  log = createSqlBotReplyLog(handle.db);
});
afterAll(() => handle.close());

function scrapeAt(now: () => number) {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    env: "development",
    name: "core",
    destination: { write: (line: string) => void lines.push(line) },
  });
  const app = new Hono().route(
    "/",
    metricsRoute({ metrics: createCoreMetrics(), replyClaims: log, logger, clock: now }),
  );
  return {
    lines,
    async stuck(): Promise<number> {
      const text = await (await app.request("/metrics")).text();
      const value = /^pup_reply_claims_stuck (\d+)$/m.exec(text)?.[1];
      if (value === undefined) throw new Error(`no pup_reply_claims_stuck in:\n${text}`);
      return Number(value);
    },
  };
}

describe("pup_reply_claims_stuck", () => {
  test("a claim never recorded counts once its lease is over; sent, failed and young ones do not", async () => {
    const teamId = uniqueName("T");
    const claim = (key: string) =>
      log.claim({ teamId, sendKey: `reply:C1:${key}`, channelId: "C1", threadTs: key });
    expect(await claim("1.1")).toBe(true); // the process died here: never recorded
    expect(await claim("2.2")).toBe(true);
    await log.recordSent(teamId, "reply:C1:2.2", { replyTs: "2.3" });
    expect(await claim("3.3")).toBe(true);
    await log.recordFailed(teamId, "reply:C1:3.3", "slack refused");

    const ours = async (claimedBefore: number) =>
      (await log.stuckClaims(new Date(claimedBefore), 1000))
        .filter((c) => c.teamId === teamId)
        .map((c) => c.sendKey);
    // Within the lease the open claim may be a reply still being written: not stuck.
    expect(await ours(Date.now() - REPLY_CLAIM_LEASE_MS)).toEqual([]);
    expect(await ours(Date.now() + 1000)).toEqual(["reply:C1:1.1"]);

    // On /metrics, a lease later (other tests' claims share the table: at least ours).
    const later = scrapeAt(() => Date.now() + REPLY_CLAIM_LEASE_MS + 1000);
    expect(await later.stuck()).toBeGreaterThanOrEqual(1);
    const warned = later.lines.map((line) => JSON.parse(line)).find((r) => r.stuck >= 1);
    expect(warned?.msg).toBe(
      "reply claims never completed: their answers may not have been posted",
    );
  });
});
