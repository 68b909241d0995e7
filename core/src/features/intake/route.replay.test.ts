// The replay guard against a signature re-spelt: hex is case-insensitive to the verifier, so the
// guard must not tell `…ab…` from `…AB…` (issue 14, point 11). Real Redis, real event log.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Hono } from "hono";
import type { Redis } from "ioredis";
import { createDb, type DbHandle } from "../../../../db/client";
import { CORE_SIGNATURE_HEADER, signCoreRequest } from "../../../../protocol/core-signature";
import { testRedisPrefix, testRedisUrl } from "../../../../test/contracts/queue-harness";
import { uniqueName } from "../../../../test/setup/isolation";
import { createLogger } from "../../adapters/pino/logger";
import { createBullMqJobQueue, createRedisCache, createRedisClient } from "../../adapters/redis";
import { createSqlEventLog } from "../../adapters/sql/event-log";
import { INTERNAL_SLACK_PATH, internalSlackRoute } from "./route";

const SECRET = "replay-guard-test-secret-0123456789abcdef";

let handle: DbHandle;
let redis: Redis;

beforeAll(() => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  handle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  redis = createRedisClient(testRedisUrl(), { connectionName: "pup-replay-guard-test" });
});

afterAll(async () => {
  await handle.close();
  await redis.quit();
});

/** Upper-cases the first lower-case hex letter of the MAC; the verifier still accepts it. */
function respell(signature: string): string {
  const at = signature.slice(3).search(/[a-f]/) + 3;
  if (at < 3) throw new Error(`no hex letter to re-spell in ${signature}`);
  return signature.slice(0, at) + signature.charAt(at).toUpperCase() + signature.slice(at + 1);
}

test("a replay whose signature has one hex letter upper-cased is refused (401)", async () => {
  const prefix = testRedisPrefix("replay");
  const queue = createBullMqJobQueue({ connection: redis, prefix });
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    env: "development",
    name: "core",
    destination: { write: (line: string) => void logs.push(line) },
  });
  const app = new Hono().route(
    "/",
    internalSlackRoute({
      secret: SECRET,
      eventLog: createSqlEventLog(handle.db),
      queue,
      cache: createRedisCache({ redis, prefix }),
      logger,
    }),
  );
  try {
    const team = uniqueName("T");
    const body = JSON.stringify({
      version: 1,
      kind: "event",
      id: "EvRespelt",
      teamId: team,
      receivedAt: new Date().toISOString(),
      retry: { num: 0, reason: null },
      payload: {
        type: "event_callback",
        team_id: team,
        api_app_id: "A1",
        event_id: "EvRespelt",
        event_time: 1_700_000_000,
        event: { type: "app_mention", user: "U1", channel: "C1", text: "hi", ts: "1.000100" },
      },
    });
    const headers = await signCoreRequest(SECRET, body, Date.now() / 1000);
    const first = await app.request(INTERNAL_SLACK_PATH, { method: "POST", headers, body });
    expect(first.status).toBe(202);

    const respelt = {
      ...headers,
      [CORE_SIGNATURE_HEADER]: respell(headers[CORE_SIGNATURE_HEADER]),
    };
    const replay = await app.request(INTERNAL_SLACK_PATH, {
      method: "POST",
      headers: respelt,
      body,
    });
    expect(replay.status).toBe(401);
    expect(logs.some((line) => JSON.parse(line).reason === "replayed")).toBe(true);
  } finally {
    await queue.close();
  }
});
