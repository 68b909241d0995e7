// POST /internal/slack on a real Hono app with the real SQL event log (this run's PostgreSQL
// database) and real Redis/BullMQ under a per-test key prefix.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { Queue } from "bullmq";
import { Hono } from "hono";
import type { Redis } from "ioredis";
import { createDb, type DbHandle } from "../../../../db/client";
import { signCoreRequest } from "../../../../protocol/core-signature";
import type { ForwardedPayload } from "../../../../protocol/forwarded-payload";
import { testRedisPrefix, testRedisUrl } from "../../../../test/contracts/queue-harness";
import { uniqueName } from "../../../../test/setup/isolation";
import { createLogger } from "../../adapters/pino/logger";
import { createBullMqJobQueue, createRedisCache, createRedisClient } from "../../adapters/redis";
import { queuePrefix } from "../../adapters/redis/job-queue";
import { createSqlEventLog } from "../../adapters/sql/event-log";
import { createSqlForgetStore } from "../../adapters/sql/forget-store";
import type { KeyValueCache } from "../../ports/cache";
import type { EventLog } from "../../ports/event-log";
import type { JobQueue } from "../../ports/job-queue";
import { createCoreMetrics } from "../observability/metrics";
import { messageJobId } from "./message-job";
import { INTERNAL_SLACK_PATH, type InternalSlackDependencies, internalSlackRoute } from "./route";

const SECRET = "internal-slack-test-secret-0123456789abcdef";
const CLOSED_REDIS_URL = "redis://127.0.0.1:1";

let handle: DbHandle;
let eventLog: EventLog;
let redis: Redis;

beforeAll(() => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  handle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  eventLog = createSqlEventLog(handle.db);
  redis = createRedisClient(testRedisUrl(), { connectionName: "pup-internal-slack-test" });
});

afterAll(async () => {
  await handle.close();
  await redis.quit();
});

interface Setup {
  app: Hono;
  queue: JobQueue;
  cache: KeyValueCache;
  prefix: string;
  logs: string[];
  /** BullMQ's view of the message queue, to look jobs up by id. */
  bull: Queue;
  close(): Promise<void>;
}

function captureLogger(logs: string[]) {
  return createLogger({
    level: "debug",
    env: "development",
    name: "core",
    destination: { write: (line: string) => void logs.push(line) },
  });
}

function buildApp(overrides: Partial<InternalSlackDependencies> & { prefix: string }): Setup {
  const logs: string[] = [];
  const queue =
    overrides.queue ?? createBullMqJobQueue({ connection: redis, prefix: overrides.prefix });
  const cache = overrides.cache ?? createRedisCache({ redis, prefix: overrides.prefix });
  const app = new Hono();
  app.route(
    "/",
    internalSlackRoute({
      secret: SECRET,
      eventLog,
      queue,
      cache,
      logger: captureLogger(logs),
      ...overrides,
    }),
  );
  const bull = new Queue("message", { connection: redis, prefix: queuePrefix(overrides.prefix) });
  return {
    app,
    queue,
    cache,
    prefix: overrides.prefix,
    logs,
    bull,
    async close() {
      await bull.close();
      await queue.close();
    },
  };
}

function eventPayload(
  teamId: string | null,
  id: string,
  retry = 0,
  event: Record<string, unknown> = { type: "app_mention", user: "U1", channel: "C1", text: "hi" },
): ForwardedPayload {
  return {
    version: 1,
    kind: "event",
    id,
    teamId,
    receivedAt: new Date().toISOString(),
    retry: { num: retry, reason: retry > 0 ? "http_timeout" : null },
    payload: {
      type: "event_callback",
      ...(teamId ? { team_id: teamId } : {}),
      api_app_id: "A1",
      event_id: id,
      event_time: 1_700_000_000,
      event: { ...event, ts: "1700000000.000100" },
    },
  };
}

function commandPayload(teamId: string, triggerId: string, forwardedTeam: string | null) {
  return {
    version: 1 as const,
    kind: "command" as const,
    id: `command:${teamId}:${triggerId}`,
    teamId: forwardedTeam,
    receivedAt: new Date().toISOString(),
    retry: { num: 0, reason: null },
    payload: {
      team_id: teamId,
      channel_id: "C9",
      user_id: "U9",
      command: "/pup",
      text: "help",
      response_url: "https://hooks.slack.com/commands/1",
      trigger_id: triggerId,
    },
  };
}

async function post(
  app: Hono,
  body: string,
  options: { nowSeconds?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const signed = await signCoreRequest(SECRET, body, options.nowSeconds ?? Date.now() / 1000);
  return app.request(INTERNAL_SLACK_PATH, {
    method: "POST",
    headers: { "content-type": "application/json", ...signed, ...options.headers },
    body,
  });
}

describe("POST /internal/slack", () => {
  let setup: Setup;
  let team: string;

  beforeEach(() => {
    setup = buildApp({ prefix: testRedisPrefix("slack") });
    team = uniqueName("T");
  });

  afterEach(async () => {
    await setup.close();
  });

  test("a signed payload is logged, enqueued under its derived id, and answered 202", async () => {
    const response = await post(setup.app, JSON.stringify(eventPayload(team, "Ev1")));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ id: "Ev1", status: "accepted" });

    const stored = await eventLog.find(team, "Ev1");
    expect(stored).toMatchObject({
      teamId: team,
      eventId: "Ev1",
      kind: "event",
      eventType: "app_mention",
      userId: "U1",
      channelId: "C1",
      retryNum: 0,
      retryReason: null,
    });
    const jobId = messageJobId(team, "Ev1");
    expect(jobId).not.toContain(":");
    const job = await setup.bull.getJob(jobId);
    // The small, newly stored event rides in the job, so the worker need not read it back.
    expect(job?.data).toMatchObject({
      teamId: team,
      eventId: "Ev1",
      event: {
        id: stored?.id,
        teamId: team,
        eventId: "Ev1",
        kind: "event",
        eventType: "app_mention",
      },
    });
    expect(job?.data.event.payload).toEqual(stored?.payload);
    expect(job?.name).toBe("event");
    expect(await setup.queue.depth("message")).toMatchObject({ waiting: 1 });
  });

  test("a duplicate delivery answers 200 and adds no job", async () => {
    expect((await post(setup.app, JSON.stringify(eventPayload(team, "EvDup", 0)))).status).toBe(
      202,
    );
    const again = await post(setup.app, JSON.stringify(eventPayload(team, "EvDup", 1)));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: "EvDup", status: "duplicate" });
    expect(await setup.bull.getJobCounts("wait", "delayed", "active")).toEqual({
      wait: 1,
      delayed: 0,
      active: 0,
    });
    // The log keeps the first delivery, not the retry.
    expect((await eventLog.find(team, "EvDup"))?.retryNum).toBe(0);
  });

  test("a payload whose author was forgotten since answers 200 forgotten: not logged, no job", async () => {
    const metrics = createCoreMetrics();
    const counted = buildApp({ prefix: testRedisPrefix("slack"), metrics });
    try {
      // Forgotten now: the event (event_time 2023) came before; a command is asked now.
      const forgets = createSqlForgetStore(handle.db);
      await forgets.markForgotten(team, "U1", new Date());
      await forgets.markForgotten(team, "U9", new Date(Date.now() - 60_000));
      const event = { type: "app_mention", user: "U1", channel: "C1", text: "my secret plan" };
      const forgotten = eventPayload(team, "EvForgot", 0, event);
      const response = await post(counted.app, JSON.stringify(forgotten));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: "EvForgot", status: "forgotten" });
      expect(await eventLog.find(team, "EvForgot")).toBeUndefined();
      expect(await counted.bull.getJob(messageJobId(team, "EvForgot"))).toBeUndefined();
      expect(metrics.eventsAccepted.get({ result: "forgotten" })).toBe(1);
      const line = counted.logs.find((entry) => entry.includes("forgotten author"));
      expect(line).toBeDefined();
      expect(line).not.toContain('"U1"');
      expect(line).not.toContain("secret");
      // Commands are always heard: a forgotten person may speak to pup again.
      const command = await post(counted.app, JSON.stringify(commandPayload(team, "77.1", team)));
      expect(command.status).toBe(202);
    } finally {
      await counted.close();
    }
  });

  test("four concurrent deliveries of one event (retries 0-3): exactly one 202, one job", async () => {
    const responses = await Promise.all(
      [0, 1, 2, 3].map((retry) =>
        post(setup.app, JSON.stringify(eventPayload(team, "EvRace", retry))),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 202]);
    expect((await setup.queue.depth("message")).waiting).toBe(1);
  });

  test("a batch answers per item, in order: new, duplicate, invalid, team from the payload", async () => {
    expect((await post(setup.app, JSON.stringify(eventPayload(team, "EvOld")))).status).toBe(202);
    const items = [
      eventPayload(team, "EvNew"),
      eventPayload(team, "EvOld", 1),
      eventPayload(null, "EvNoTeam"),
      commandPayload(team, "trig1", null),
    ];
    const body = JSON.stringify({
      version: 1,
      batch: items.map((payload) => ({ payload, traceparent: "00-abc-def-01" })),
    });
    const response = await post(setup.app, body);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { results: unknown[]; problems: string[] };
    expect(answer.results).toEqual([
      { id: "EvNew", status: 202 },
      { id: "EvOld", status: 200 },
      { id: "EvNoTeam", status: 400 },
      { id: `command:${team}:trig1`, status: 202 },
    ]);
    expect(answer.problems).toEqual([
      "EvNoTeam: no team: teamId is null and the payload names no team",
    ]);
    const command = await eventLog.find(team, `command:${team}:trig1`);
    expect(command).toMatchObject({
      kind: "command",
      eventType: "/pup",
      userId: "U9",
      channelId: "C9",
    });
    expect(await setup.bull.getJob(messageJobId(team, `command:${team}:trig1`))).toBeDefined();
    expect((await setup.queue.depth("message")).waiting).toBe(3);
  });

  test("the same id twice in one batch: one 202, one 200", async () => {
    const body = JSON.stringify({
      version: 1,
      batch: [0, 1].map((retry) => ({
        payload: eventPayload(team, "EvTwice", retry),
        traceparent: "00-abc-def-01",
      })),
    });
    const answer = (await (await post(setup.app, body)).json()) as {
      results: { status: number }[];
    };
    expect(answer.results.map((r) => r.status).sort()).toEqual([200, 202]);
  });

  test("a wrong, stale or missing signature answers 401 with a generic error", async () => {
    const body = JSON.stringify(eventPayload(team, "EvSig"));
    const forged = await signCoreRequest(
      "another-secret-of-sufficient-length!!",
      body,
      Date.now() / 1000,
    );
    const cases = [
      await setup.app.request(INTERNAL_SLACK_PATH, { method: "POST", headers: forged, body }),
      await post(setup.app, body, { nowSeconds: Date.now() / 1000 - 400 }),
      await post(setup.app, body, { nowSeconds: Date.now() / 1000 + 400 }),
      await setup.app.request(INTERNAL_SLACK_PATH, { method: "POST", body }),
    ];
    for (const response of cases) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "unauthorized" });
    }
    expect(await eventLog.find(team, "EvSig")).toBeUndefined();
    const reasons = setup.logs.map((line) => JSON.parse(line).reason);
    expect(reasons).toEqual(["mismatch", "stale", "future", "missing_headers"]);
  });

  test("a body changed after signing answers 401", async () => {
    const body = JSON.stringify(eventPayload(team, "EvTamper"));
    const signed = await signCoreRequest(SECRET, body, Date.now() / 1000);
    const response = await setup.app.request(INTERNAL_SLACK_PATH, {
      method: "POST",
      headers: signed,
      body: body.replace("hi", "ho"),
    });
    expect(response.status).toBe(401);
  });

  test("a replayed request (same signature) answers 401", async () => {
    const body = JSON.stringify(eventPayload(team, "EvReplay"));
    const headers = await signCoreRequest(SECRET, body, Date.now() / 1000);
    const first = await setup.app.request(INTERNAL_SLACK_PATH, { method: "POST", headers, body });
    expect(first.status).toBe(202);
    const replay = await setup.app.request(INTERNAL_SLACK_PATH, { method: "POST", headers, body });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: "unauthorized" });
    expect(setup.logs.some((line) => JSON.parse(line).reason === "replayed")).toBe(true);
  });

  test("malformed JSON answers 400 with a message", async () => {
    const response = await post(setup.app, '{"version":1,');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("invalid_json");
    expect(body.message).toStartWith("body is not valid JSON:");
  });

  test("a body that is not a forwarded payload answers 400 listing the problems", async () => {
    const wrong = { ...eventPayload(team, "EvBad"), kind: "carrier-pigeon", retry: { num: -1 } };
    const response = await post(setup.app, JSON.stringify(wrong));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; problems: string[] };
    expect(body.error).toBe("invalid_payload");
    expect(body.problems.some((p) => p.startsWith("kind:"))).toBe(true);
    expect(body.problems.some((p) => p.startsWith("retry."))).toBe(true);
    expect(body.message).toContain("kind:");
  });

  test("a single event without a team or an event type answers 400", async () => {
    const noTeam = await post(setup.app, JSON.stringify(eventPayload(null, "EvNoTeam1")));
    expect(noTeam.status).toBe(400);
    expect(((await noTeam.json()) as { message: string }).message).toContain("no team");
    const noType = await post(
      setup.app,
      JSON.stringify(eventPayload(team, "EvNoType", 0, { user: "U1" })),
    );
    expect(noType.status).toBe(400);
    expect(((await noType.json()) as { message: string }).message).toContain("event.type");
  });

  test("an oversized body answers 413, declared or streamed", async () => {
    const small = buildApp({ prefix: testRedisPrefix("slack"), maxBodyBytes: 1024 });
    try {
      const big = JSON.stringify(
        eventPayload(team, "EvBig", 0, { type: "message", text: "x".repeat(4000) }),
      );
      const declared = await post(small.app, big);
      expect(declared.status).toBe(413);
      // No content-length: the route stops reading once the limit is passed.
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 1;
          if (pulled > 1000) controller.close();
          else controller.enqueue(new TextEncoder().encode("x".repeat(512)));
        },
      });
      const streamed = await small.app.request(
        new Request(`http://core${INTERNAL_SLACK_PATH}`, {
          method: "POST",
          body: stream,
          headers: await signCoreRequest(SECRET, "", Date.now() / 1000),
        }),
      );
      expect(streamed.status).toBe(413);
      expect(pulled).toBeLessThan(10);
      expect(await eventLog.find(team, "EvBig")).toBeUndefined();
    } finally {
      await small.close();
    }
  });

  test("Redis down: 503 and an error log line", async () => {
    const down = createRedisClient(CLOSED_REDIS_URL, { connectTimeoutMs: 200, onError: () => {} });
    const broken = buildApp({
      prefix: testRedisPrefix("slack"),
      queue: createBullMqJobQueue({ connection: down, prefix: "unused" }),
      cache: createRedisCache({ redis: down, prefix: "unused:" }),
      dependencyTimeoutMs: 500,
    });
    try {
      const response = await post(broken.app, JSON.stringify(eventPayload(team, "EvDown")));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: "unavailable" });
      expect(broken.logs.some((line) => JSON.parse(line).level === "error")).toBe(true);
    } finally {
      await broken.close();
      down.disconnect();
    }
  });

  test("queue down after the append: 503, and the next delivery repairs the missing job", async () => {
    const down = createRedisClient(CLOSED_REDIS_URL, { connectTimeoutMs: 200, onError: () => {} });
    const broken = buildApp({
      prefix: setup.prefix,
      cache: setup.cache,
      queue: createBullMqJobQueue({ connection: down, prefix: "unused" }),
      dependencyTimeoutMs: 500,
    });
    const body = JSON.stringify(eventPayload(team, "EvRepair"));
    const headers = await signCoreRequest(SECRET, body, Date.now() / 1000);
    try {
      const failed = await broken.app.request(INTERNAL_SLACK_PATH, {
        method: "POST",
        headers,
        body,
      });
      expect(failed.status).toBe(503);
      expect(await eventLog.find(team, "EvRepair")).toBeDefined();
      expect(await setup.bull.getJob(messageJobId(team, "EvRepair"))).toBeUndefined();
    } finally {
      await broken.close();
      down.disconnect();
    }
    // The edge re-sends the same bytes: the failed attempt released its signature.
    const retried = await setup.app.request(INTERNAL_SLACK_PATH, { method: "POST", headers, body });
    expect(retried.status).toBe(200);
    expect(await setup.bull.getJob(messageJobId(team, "EvRepair"))).toBeDefined();
  });

  test("database down: 503", async () => {
    const deadDb = createDb({
      databaseUrl: "postgres://postgres@127.0.0.1:1/nowhere",
      dataDir: "",
      embeddingDimensions: 512,
    });
    const broken = buildApp({
      prefix: testRedisPrefix("slack"),
      eventLog: createSqlEventLog(deadDb.db),
      dependencyTimeoutMs: 1000,
    });
    try {
      const response = await post(broken.app, JSON.stringify(eventPayload(team, "EvNoDb")));
      expect(response.status).toBe(503);
      expect((await broken.queue.depth("message")).waiting).toBe(0);
    } finally {
      await broken.close();
      await deadDb.close().catch(() => {});
    }
  });

  test("metrics count outcomes and observe acceptance time", async () => {
    const metrics = createCoreMetrics();
    const measured = buildApp({ prefix: testRedisPrefix("slack"), metrics });
    try {
      await post(measured.app, JSON.stringify(eventPayload(team, "EvM1")));
      await post(measured.app, JSON.stringify(eventPayload(team, "EvM1", 1)));
      await post(measured.app, "{");
      expect(metrics.eventsAccepted.get({ result: "accepted" })).toBe(1);
      expect(metrics.eventsAccepted.get({ result: "duplicate" })).toBe(1);
      expect(metrics.eventsAccepted.get({ result: "invalid" })).toBe(1);
      expect(metrics.acceptanceSeconds.count()).toBe(3);
    } finally {
      await measured.close();
    }
  });
});
