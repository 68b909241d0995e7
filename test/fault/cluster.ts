/**
 * pup as deployed, for the fault tests: the local Slack and OpenAI servers, core started by the
 * process starter in this process (its jobs left to the workers), and `bun run worker` as real
 * child processes that a test kills, stops and restarts. Effects are counted where they land:
 * rows in PostgreSQL and messages in the local Slack.
 */
import { join } from "node:path";
import postgres from "postgres";
import { type RunningPup, startPup } from "../../core/src/start/start-pup";
import { signCoreRequest } from "../../protocol/core-signature";
import type { ForwardedPayload } from "../../protocol/forwarded-payload";
import { TEST_CORE_SHARED_SECRET } from "../e2e/edge/workerd";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { type FakeSlack, startFakeSlack } from "../fakes/slack";
import { freePort } from "../integration/edge-deploy-processes";
import { uniqueName } from "../setup/isolation";
import { capturingLogger, modelConfig, UNREACHED_LIMITS } from "../setup/pup-under-test";
import { type PupProcess, spawnUntilHealthy } from "./cluster-processes";

export const ROOT = join(import.meta.dir, "..", "..");
export const PUP = "U0FAKEBOT1";
export const ALICE = "U0ALICE001";
export const GENERAL = "C0GENERAL1";
/**
 * A short lease (the default is 3 minutes) so crashed claims are recovered within the test; the
 * generation timeout must stay below it (config/reply.ts). The fake model answers
 * at once.
 */
export const SHORT_REPLY_LEASE = { PUP_REPLY_TIMEOUT_MS: "3000", PUP_REPLY_CLAIM_LEASE_MS: "5000" };

export interface Cluster {
  team: string;
  slack: FakeSlack;
  openai: FakeOpenAI;
  redisUrl: string;
  prefix: string;
  /** The test's own way to PostgreSQL (for counting), never cut. */
  databaseUrl: string;
  /** Where core and the workers reach PostgreSQL: `databaseUrl`, or a relay a test cuts. */
  pupDatabaseUrl: string;
  sql: postgres.Sql;
  /** Environment every worker process gets (tests add to it). */
  workerEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startCluster(options: { redisUrl?: string; databaseUrl?: string } = {}) {
  const team = `T${uniqueName("F").replaceAll("_", "").toUpperCase().slice(0, 14)}`;
  const slack = startFakeSlack({
    identity: { teamId: team },
    users: [{ id: ALICE, name: "alice", realName: "Alice Ng" }],
    channels: [{ id: GENERAL, name: "general", visibility: "public", members: [ALICE, PUP] }],
  });
  const openai = await startFakeOpenAI({ embeddingDimensions: 512 });
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL ?? "";
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set (test/setup/preload.ts)");
  const redisUrl = options.redisUrl ?? "redis://127.0.0.1:6379";
  const prefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test"}fault`);
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const pupDatabaseUrl = options.databaseUrl ?? databaseUrl;
  const workerEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    REDIS_URL: redisUrl,
    PUP_REDIS_PREFIX: prefix,
    DATABASE_URL: pupDatabaseUrl,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.url,
    OPENAI_API_KEY: openai.apiKey,
    OPENAI_BASE_URL: openai.url,
    EMBEDDING_DIMENSIONS: "512",
    LOG_LEVEL: "warn",
    PUP_USER_REPLIES_PER_MINUTE: String(UNREACHED_LIMITS.userPerMinute),
    PUP_TEAM_REPLIES_PER_MINUTE: String(UNREACHED_LIMITS.teamPerMinute),
    PUP_USER_DAILY_TOKENS: String(UNREACHED_LIMITS.userDailyTokens),
    PUP_DAILY_TOKEN_CAP: String(UNREACHED_LIMITS.dailyTokenCap),
  };
  return {
    team,
    slack,
    openai,
    redisUrl,
    prefix,
    databaseUrl,
    pupDatabaseUrl,
    sql,
    workerEnv,
    async stop() {
      await sql.end({ timeout: 5 });
      await slack.stop();
      await openai.stop();
    },
  } satisfies Cluster;
}

/** Core in this process, serving POST /internal/slack; its queues go to `redisUrl`. */
export async function startCore(
  cluster: Cluster,
  reply?: { generationTimeoutMs: number; claimLeaseMs: number },
): Promise<RunningPup> {
  const { logger } = capturingLogger();
  return startPup({
    role: "core",
    config: {
      llm: modelConfig(cluster.openai),
      embedding: { dimensions: 512 },
      database: { url: cluster.pupDatabaseUrl, dataDir: "memory://" },
      redis: { url: cluster.redisUrl, prefix: cluster.prefix },
      slack: { botToken: cluster.slack.token, apiUrl: cluster.slack.url },
      limits: UNREACHED_LIMITS,
      ...(reply ? { reply } : {}),
    },
    logger,
    queues: [],
    http: {
      hostname: "127.0.0.1",
      port: 0,
      coreSharedSecret: TEST_CORE_SHARED_SECRET,
      version: "t",
    },
    services: { migrate: false },
  });
}

export interface WorkerProcess extends PupProcess {
  metricsUrl: string;
}

/** `bun run worker` as a child process, ready once its /healthz answers. */
export async function startWorker(
  cluster: Cluster,
  extraEnv: Record<string, string> = {},
  args: string[] = [],
): Promise<WorkerProcess> {
  const port = freePort();
  const env = { ...cluster.workerEnv, WORKER_METRICS_PORT: String(port), ...extraEnv };
  const worker = await spawnUntilHealthy("worker", "workers/src/main.ts", env, port, args);
  return { ...worker, metricsUrl: worker.url };
}

/** One ordinary channel message (or a mention) as Slack's Events API delivers it. */
export function channelMessage(cluster: Cluster, text: string, mention = false) {
  const posted = cluster.slack.workspace.postMessage(GENERAL, { user: ALICE, text });
  const event: Record<string, unknown> = {
    type: mention ? "app_mention" : "message",
    user: ALICE,
    text,
    ts: posted.ts,
    channel: GENERAL,
    event_ts: posted.ts,
    ...(mention ? {} : { channel_type: "channel" }),
  };
  return {
    ts: posted.ts,
    envelope: {
      token: "unused",
      team_id: cluster.team,
      api_app_id: "A0FAKEAPP1",
      event,
      type: "event_callback",
      event_id: `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: cluster.team, user_id: PUP, is_bot: true }],
      is_ext_shared_channel: false,
    } as Record<string, unknown>,
  };
}

/** POSTs one signed forward to core, as the edge does; the status (0 when unreachable). */
export async function forward(coreUrl: string, envelope: Record<string, unknown>) {
  const payload: ForwardedPayload = {
    version: 1,
    kind: "event",
    id: String(envelope.event_id),
    teamId: String(envelope.team_id),
    receivedAt: new Date().toISOString(),
    retry: { num: 0, reason: null },
    payload: envelope,
  };
  const body = JSON.stringify(payload);
  const headers = {
    "content-type": "application/json",
    ...(await signCoreRequest(TEST_CORE_SHARED_SECRET, body, Date.now() / 1000)),
  };
  return fetch(`${coreUrl}/internal/slack`, { method: "POST", headers, body })
    .then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    })
    .catch(() => 0);
}

/** Forwards until core accepts (the edge's retry), for deliveries made during an outage. */
export async function forwardUntilAccepted(coreUrl: string, envelope: Record<string, unknown>) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const status = await forward(coreUrl, envelope);
    if (status === 200 || status === 202) return;
    await Bun.sleep(200);
  }
  throw new Error(`core never accepted ${String(envelope.event_id)}`);
}

/** Stored and embedded messages of the team, and pup's posts per thread. */
export async function effects(cluster: Cluster) {
  const [row] = await cluster.sql<{ stored: number; embedded: number }[]>`
    select count(*)::int as stored, count(embedding)::int as embedded
    from messages where team_id = ${cluster.team} and user_id = ${ALICE}`;
  const replies = new Map<string, number>();
  for (const { channel, message } of cluster.slack.workspace.messages.all()) {
    if (channel !== GENERAL || message.user !== PUP) continue;
    const thread = message.thread_ts ?? message.ts;
    replies.set(thread, (replies.get(thread) ?? 0) + 1);
  }
  return { stored: row?.stored ?? 0, embedded: row?.embedded ?? 0, replies };
}

/** Polls until `done` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(done: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await Bun.sleep(250);
  }
  return done();
}
