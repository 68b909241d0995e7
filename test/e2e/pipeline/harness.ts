/**
 * pup end to end, as deployed, on loopback: the local Slack and OpenAI servers, core's HTTP app
 * started by the process starter (startPup) over the test PostgreSQL and a per-run Redis prefix
 * (BullMQ), the job handlers running as a worker would, and optionally the real edge in workerd
 * forwarding to core. Tests send Slack-signed events to the edge (or signed forwards straight to
 * core) and read what pup posted in the local Slack.
 */

import type { ProfileSettings } from "../../../core/src/features/profiles";
import type { ReplySettings } from "../../../core/src/features/reply";
import type { CircuitBreakerOptions } from "../../../core/src/shared/circuit-breaker";
import type { CoreServices, ServicesConfig } from "../../../core/src/start/services";
import { startPup } from "../../../core/src/start/start-pup";
import { signCoreRequest } from "../../../protocol/core-signature";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { type FakeOpenAI, startFakeOpenAI } from "../../fakes/openai";
import { type FakeSlack, type SlackMessage, startFakeSlack } from "../../fakes/slack";
import { uniqueName } from "../../setup/isolation";
import { capturingLogger, modelConfig, UNREACHED_LIMITS } from "../../setup/pup-under-test";
import { type EdgeUnderTest, startEdge, TEST_CORE_SHARED_SECRET } from "../edge/workerd";

export const TEAM = "T0FAKE0001";
export const PUP = "U0FAKEBOT1";
export const ALICE = "U0ALICE001";
export const BOB = "U0BOB00001";
export const GENERAL = "C0GENERAL1";
export const RANDOM = "C0RANDOM01";
export const ALICE_DM = "D0ALICEPUP";

export interface PipelineOptions {
  /** Start the edge in workerd in front of core (default false: tests post to core). */
  edge?: boolean;
  /** The local OpenAI server (default) or pup's offline embedder and responder. */
  llm?: "openai" | "offline";
  reply?: Partial<ReplySettings>;
  /** As an operator sets them: persona file, mood indicator, PUP_MOOD_TUNING (default: none). */
  personality?: ServicesConfig["personality"];
  breaker?: CircuitBreakerOptions;
  /** Model attempt timeout and retries (defaults 2000 ms, 0 retries: tests stay fast). */
  modelTimeoutMs?: number;
  modelRetries?: number;
  /** A migrated database (default PUP_TEST_DATABASE_URL, set by the test preload). */
  databaseUrl?: string;
  /** Redis key prefix for queues and cache (default a unique name under PUP_TEST_REDIS_PREFIX). */
  redisPrefix?: string;
  /**
   * The local Slack's own workspace (default {@link TEAM}). A file that keeps to a workspace of
   * its own passes it, so `users.info` names its people as members, not outsiders (ADR-022).
   */
  slackTeam?: string;
  /** Jobs processed at once per queue (default 8; the embedding queue: pup's default). */
  concurrency?: number;
  /**
   * Profile updates (default: not queued, so no delayed profile job asks the local model for a
   * reply a test queued; profile tests use the in-process fixture, the pipeline bench opts in).
   */
  profiles?: Partial<ProfileSettings>;
}

export interface Pipeline {
  slack: FakeSlack;
  openai: FakeOpenAI;
  services: CoreServices;
  coreUrl: string;
  edge: EdgeUnderTest | undefined;
  /** Everything core logged, parsed. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const databaseUrl = options.databaseUrl ?? process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set (test/setup/preload.ts)");
  const slack = startFakeSlack({
    ...(options.slackTeam ? { identity: { teamId: options.slackTeam } } : {}),
    users: [
      { id: ALICE, name: "alice", realName: "Alice Ng" },
      { id: BOB, name: "bob", realName: "Bob Ray" },
    ],
    channels: [
      { id: GENERAL, name: "general", visibility: "public", members: [ALICE, BOB, PUP] },
      { id: RANDOM, name: "random", visibility: "public", members: [ALICE, BOB, PUP] },
      { id: ALICE_DM, name: "alice-dm", visibility: "im", user: ALICE },
    ],
  });
  const openai = await startFakeOpenAI({ embeddingDimensions: 512 });
  const { logger, logs } = capturingLogger();
  const pup = await startPup({
    role: "core",
    config: {
      llm: modelConfig(options.llm === "offline" ? undefined : openai),
      embedding: { dimensions: 512 },
      database: { url: databaseUrl, dataDir: "memory://" },
      redis: { url: "redis://127.0.0.1:6379" },
      slack: { botToken: slack.token, apiUrl: slack.url },
      limits: UNREACHED_LIMITS,
      ...(options.personality ? { personality: options.personality } : {}),
    },
    logger,
    // The jobs run here, as a worker would run them.
    queues: "all",
    ...(options.concurrency === undefined ? {} : { concurrency: { message: options.concurrency } }),
    http: {
      hostname: "127.0.0.1",
      port: 0,
      coreSharedSecret: TEST_CORE_SHARED_SECRET,
      version: "test",
    },
    services: {
      redisPrefix:
        options.redisPrefix ?? uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test"}-e2e`),
      migrate: false,
      reply: { generationTimeoutMs: 10_000, ...options.reply },
      profiles: options.profiles ?? { enqueue: false },
      models: {
        timeoutMs: options.modelTimeoutMs ?? 2000,
        maxRetries: options.modelRetries ?? 0,
        ...(options.breaker ? { breaker: options.breaker } : {}),
      },
    },
  });
  const { services } = pup;
  const coreUrl = pup.url ?? "";
  const edge = options.edge ? await startEdge({ coreUrl }) : undefined;
  return {
    slack,
    openai,
    services,
    coreUrl,
    edge,
    logs,
    async stop() {
      if (process.env.PUP_E2E_LOGS) {
        for (const line of logs) console.error(JSON.stringify(line).slice(0, 1500));
        for (const line of edge?.logs ?? [])
          console.error("edge:", JSON.stringify(line).slice(0, 500));
      }
      await edge?.dispose();
      await pup.stop(5000);
      await slack.stop();
      await openai.stop();
    },
  };
}

export interface SaidOptions {
  user?: string;
  channel?: string;
  channelType?: "channel" | "group" | "im" | "mpim";
  threadTs?: string;
  /** `app_mention` (what Slack sends when pup is mentioned) instead of `message`. */
  mention?: boolean;
  eventId?: string;
  /** The workspace (default TEAM): the local Slack holds every workspace's conversations. */
  team?: string;
}

/**
 * A person saying `text` in the local Slack (so the message exists there, as in real Slack), and
 * the Events API delivery Slack would send for it.
 */
export function said(pipeline: Pipeline, text: string, options: SaidOptions = {}) {
  const posted = pipeline.slack.workspace.postMessage(options.channel ?? GENERAL, {
    user: options.user ?? ALICE,
    text,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
  });
  const ts = posted.ts;
  const team = options.team ?? TEAM;
  const event: Record<string, unknown> = {
    type: options.mention ? "app_mention" : "message",
    user: options.user ?? ALICE,
    text,
    ts,
    channel: options.channel ?? GENERAL,
    event_ts: ts,
  };
  if (!options.mention) event.channel_type = options.channelType ?? "channel";
  if (options.threadTs) event.thread_ts = options.threadTs;
  return {
    ts,
    envelope: {
      token: "unused",
      team_id: team,
      api_app_id: "A0FAKEAPP1",
      event,
      type: "event_callback",
      event_id: options.eventId ?? `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: team, user_id: PUP, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    } as Record<string, unknown>,
  };
}

/** POSTs one signed forward straight to core (as the edge would), returning the status. */
export async function forwardToCore(
  pipeline: Pipeline,
  envelope: Record<string, unknown>,
  retryNum = 0,
): Promise<number> {
  const payload: ForwardedPayload = {
    version: 1,
    kind: "event",
    id: String(envelope.event_id),
    teamId: typeof envelope.team_id === "string" ? envelope.team_id : TEAM,
    receivedAt: new Date().toISOString(),
    retry: { num: retryNum, reason: retryNum > 0 ? "http_timeout" : null },
    payload: envelope,
  };
  const body = JSON.stringify(payload);
  const headers = {
    "content-type": "application/json",
    ...(await signCoreRequest(TEST_CORE_SHARED_SECRET, body, Date.now() / 1000)),
  };
  const response = await fetch(`${pipeline.coreUrl}/internal/slack`, {
    method: "POST",
    headers,
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** pup's messages in a channel (thread replies included), oldest first. */
export function pupMessages(pipeline: Pipeline, channel: string): SlackMessage[] {
  return pipeline.slack.workspace.messages
    .all()
    .filter((entry) => entry.channel === channel && entry.message.user === PUP)
    .map((entry) => entry.message)
    .filter((message) => (message.text ?? "") !== "" || message.blocks !== undefined);
}

/** Waits until `predicate` holds (polling), or throws naming `what`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/** Waits until no queue has waiting, active or delayed jobs. */
export async function settle(pipeline: Pipeline, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () => {
      for (const queue of ["message", "embedding"] as const) {
        const depth = await pipeline.services.queue.depth(queue);
        if (depth.waiting + depth.active + depth.delayed > 0) return false;
      }
      return true;
    },
    "the queues to drain",
    timeoutMs,
  );
}
