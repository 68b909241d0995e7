/**
 * pup's use cases over its in-process adapters, for fast tests beside the code: the real
 * composition (createCoreServices) with embedded PGlite in memory, the in-process cache, queue
 * and short-term memory, the local Slack server, and the local OpenAI server (or the offline
 * model). No PostgreSQL, Redis, edge or job runner: tests call the use cases with `pup.deps`.
 *
 * The e2e harness (test/e2e/pipeline/harness.ts) runs the same code behind HTTP and queues; this
 * fixture builds what a job would hand a use case (a logged `StoredSlackEvent`) and nothing more.
 */

import { handleSlackEvent } from "../../core/src/features/events";
import { toSlackEventInput } from "../../core/src/features/intake";
import type { ReplySettings } from "../../core/src/features/reply";
import type { StoredSlackEvent } from "../../core/src/ports/event-log";
import type { BotIdentity } from "../../core/src/ports/slack-gateway";
import type { CircuitBreakerOptions } from "../../core/src/shared/circuit-breaker";
import type { PupDeps } from "../../core/src/start/feature-deps";
import { type CoreServices, createCoreServices } from "../../core/src/start/services";
import type { ForwardedPayload } from "../../protocol/forwarded-payload";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { type FakeSlack, type SlackMessage, startFakeSlack } from "../fakes/slack";
import { capturingLogger, modelConfig, UNREACHED_LIMITS } from "./pup-under-test";

/** The local Slack's workspace and bot (its `auth.test` answers with these). */
export const TEAM = "T0FAKE0001";
export const PUP = "U0FAKEBOT1";
export const PUP_BOT_ID = "B0FAKEBOT1";
export const ALICE = "U0ALICE001";
export const BOB = "U0BOB00001";
/** Another app's bot user in the workspace. */
export const OTHER_BOT = "U0OTHERBOT";
export const OTHER_BOT_ID = "B0OTHERBOT";

const EMBEDDING_DIMENSIONS = 512;

export type ConversationKind = "public" | "private" | "im";

export interface InProcessPupOptions {
  /** The local OpenAI server (default) or pup's offline model and embedder. */
  llm?: "openai" | "offline";
  reply?: Partial<ReplySettings>;
  /** The chat model's circuit breaker (defaults: 3 failures open it for 30 s). */
  breaker?: CircuitBreakerOptions;
  /** Model attempt timeout (default 2000 ms) and SDK retries (default 0). */
  modelTimeoutMs?: number;
  modelRetries?: number;
}

export interface SaidOptions {
  user?: string;
  /** The thread's root ts: the message is a reply in that thread. */
  threadTs?: string;
  /** Delivered as `app_mention` (no `channel_type`), as Slack does for a mention. */
  mention?: boolean;
}

export interface InProcessPup {
  services: CoreServices;
  /** What every use case takes (ReplyDeps, EventsDeps, ...). */
  deps: PupDeps;
  slack: FakeSlack;
  /** Undefined with the offline model. */
  openai: FakeOpenAI | undefined;
  /** Everything pup logged, parsed. */
  logs: Record<string, unknown>[];
  /** pup's identity from the local Slack's `auth.test`. */
  identity(): Promise<BotIdentity>;
  /** A fresh conversation in the local Slack: channels hold Alice, Bob and pup; a DM is Alice's. */
  conversation(kind?: ConversationKind): string;
  /** A person saying `text` in the local Slack, and the Events API envelope Slack would send. */
  said(
    channel: string,
    text: string,
    options?: SaidOptions,
  ): { ts: string; envelope: Record<string, unknown> };
  /** An `event_callback` envelope for `event`, with a fresh event id. */
  envelope(event: Record<string, unknown>): Record<string, unknown>;
  /** The message edited (by its author) in the local Slack, and its `message_changed` envelope. */
  edited(channel: string, ts: string, text: string): Record<string, unknown>;
  /** The `message_deleted` envelope for a message (with what Slack says it said, if it exists). */
  deleted(channel: string, ts: string): Record<string, unknown>;
  /** Appends the delivery to the event log as intake does, and returns the stored event. */
  logged(envelope: Record<string, unknown>): Promise<StoredSlackEvent>;
  /** Logs the delivery and hands it to the events feature, as a `message` job would. */
  handle(envelope: Record<string, unknown>): Promise<StoredSlackEvent>;
  /** pup's non-empty messages in a channel (thread replies included), oldest first. */
  pupMessages(channel: string): SlackMessage[];
  /** pup's messages in the thread rooted at `threadTs`. */
  repliesIn(channel: string, threadTs: string): SlackMessage[];
  stop(): Promise<void>;
}

/** `channel_type` Slack puts on message events in a conversation, by its id's prefix. */
export function channelTypeOf(channel: string): "channel" | "group" | "im" {
  return channel.startsWith("D") ? "im" : channel.startsWith("G") ? "group" : "channel";
}

/** `thread_ts` of a thread reply (a thread's root carries its own ts there: left out). */
function threadOf(message: SlackMessage): { thread_ts?: string } {
  return message.thread_ts && message.thread_ts !== message.ts
    ? { thread_ts: message.thread_ts }
    : {};
}

function newEventId(): string {
  return `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20).toUpperCase()}`;
}

/**
 * Builds pup's services over in-process adapters and migrates the in-memory PGlite database
 * (a few seconds: call it from `beforeAll` with a generous timeout).
 */
export async function startInProcessPup(options: InProcessPupOptions = {}): Promise<InProcessPup> {
  const slack = startFakeSlack({
    users: [
      { id: ALICE, name: "alice", realName: "Alice Ng" },
      { id: BOB, name: "bob", realName: "Bob Ray" },
      { id: OTHER_BOT, name: "otherbot", isBot: true, botId: OTHER_BOT_ID },
    ],
  });
  const llm = options.llm ?? "openai";
  const openai =
    llm === "openai"
      ? await startFakeOpenAI({ embeddingDimensions: EMBEDDING_DIMENSIONS })
      : undefined;
  const { logger, logs } = capturingLogger();
  let services: CoreServices;
  try {
    services = await createCoreServices(
      {
        llm: modelConfig(openai),
        embedding: { dimensions: EMBEDDING_DIMENSIONS },
        database: { url: undefined, dataDir: "memory://" },
        redis: { url: undefined },
        slack: { botToken: slack.token, apiUrl: slack.url },
        limits: UNREACHED_LIMITS,
      },
      {
        logger,
        reply: { generationTimeoutMs: 10_000, ...options.reply },
        models: {
          timeoutMs: options.modelTimeoutMs ?? 2000,
          maxRetries: options.modelRetries ?? 0,
          ...(options.breaker ? { breaker: options.breaker } : {}),
        },
      },
    );
  } catch (error) {
    await slack.stop();
    await openai?.stop();
    throw error;
  }
  const { deps } = services;

  const envelope = (event: Record<string, unknown>) => ({
    token: "unused",
    team_id: TEAM,
    api_app_id: "A0FAKEAPP1",
    event,
    type: "event_callback",
    event_id: newEventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: PUP, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });

  const logged = async (body: Record<string, unknown>): Promise<StoredSlackEvent> => {
    const forwarded: ForwardedPayload = {
      version: 1,
      kind: "event",
      id: String(body.event_id),
      teamId: typeof body.team_id === "string" ? body.team_id : null,
      receivedAt: new Date().toISOString(),
      retry: { num: 0, reason: null },
      payload: body,
    };
    const mapped = toSlackEventInput(forwarded);
    if (!mapped.ok) throw new Error(`not an event pup would log: ${mapped.message}`);
    const appended = await deps.eventLog.append(mapped.input);
    if (appended.inserted) {
      return { ...mapped.input, id: appended.id, receivedAt: new Date() };
    }
    const found = await deps.eventLog.find(mapped.input.teamId, mapped.input.eventId);
    if (!found) throw new Error(`event ${mapped.input.eventId} is neither new nor logged`);
    return found;
  };

  const pupMessages = (channel: string) =>
    slack.workspace.messages
      .all()
      .filter((entry) => entry.channel === channel && entry.message.user === PUP)
      .map((entry) => entry.message)
      .filter((message) => (message.text ?? "") !== "" || message.blocks !== undefined);

  return {
    services,
    deps,
    slack,
    openai,
    logs,
    identity: () => deps.slack.identity(),
    conversation(kind = "public") {
      const letter = kind === "public" ? "C" : kind === "private" ? "G" : "D";
      const id = `${letter}0${crypto.randomUUID().replaceAll("-", "").slice(0, 9).toUpperCase()}`;
      slack.addChannel(
        kind === "im"
          ? { id, name: id, visibility: "im", user: ALICE }
          : { id, name: id.toLowerCase(), visibility: kind, members: [ALICE, BOB, PUP] },
      );
      return id;
    },
    said(channel, text, said = {}) {
      const user = said.user ?? ALICE;
      const posted = slack.workspace.postMessage(channel, {
        user,
        text,
        ...(said.threadTs ? { thread_ts: said.threadTs } : {}),
      });
      const event: Record<string, unknown> = {
        type: said.mention ? "app_mention" : "message",
        user,
        text,
        ts: posted.ts,
        channel,
        event_ts: posted.ts,
      };
      if (!said.mention) event.channel_type = channelTypeOf(channel);
      if (said.threadTs) event.thread_ts = said.threadTs;
      return { ts: posted.ts, envelope: envelope(event) };
    },
    envelope,
    edited(channel, ts, text) {
      const before = slack.workspace.messages.get(channel, ts);
      const user = before.user ?? ALICE;
      const message = slack.workspace.updateMessage(channel, ts, { text }, user);
      const editedTs = message.edited?.ts ?? ts;
      return envelope({
        type: "message",
        subtype: "message_changed",
        hidden: true,
        channel,
        channel_type: channelTypeOf(channel),
        message: {
          type: "message",
          user,
          text,
          ts,
          ...threadOf(message),
          edited: { user, ts: editedTs },
        },
        previous_message: { type: "message", user, ts, ...threadOf(message) },
        ts: editedTs,
        event_ts: editedTs,
      });
    },
    deleted(channel, ts) {
      const message = slack.workspace.messages.find(channel, ts);
      const now = (Date.now() / 1000).toFixed(6);
      return envelope({
        type: "message",
        subtype: "message_deleted",
        hidden: true,
        channel,
        channel_type: channelTypeOf(channel),
        deleted_ts: ts,
        previous_message: {
          type: "message",
          ts,
          ...(message ? { user: message.user, text: message.text, ...threadOf(message) } : {}),
        },
        ts: now,
        event_ts: now,
      });
    },
    logged,
    async handle(body) {
      const event = await logged(body);
      await handleSlackEvent(deps, event);
      return event;
    },
    pupMessages,
    repliesIn: (channel, threadTs) =>
      pupMessages(channel).filter((message) => message.thread_ts === threadTs),
    async stop() {
      if (process.env.PUP_TEST_LOGS) {
        for (const line of logs) console.error(JSON.stringify(line).slice(0, 1500));
      }
      await services.close(2000);
      await slack.stop();
      await openai?.stop();
    },
  };
}
