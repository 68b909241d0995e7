/**
 * What pup's use cases (the message pipeline, replies, commands) need, as ports only. The
 * composition root (core/src/composition.ts) builds it from configuration; tests build it from
 * real adapters over the local Slack and OpenAI servers.
 */
import type { Logger } from "../logging/logger";
import type { AuditLog } from "../ports/audit-log";
import type { BotReplyLog } from "../ports/bot-reply-log";
import type { KeyValueCache } from "../ports/cache";
import type { DerivedMemory } from "../ports/derived-memory";
import type { Directory } from "../ports/directory";
import type { EventLog } from "../ports/event-log";
import type { JobQueue } from "../ports/job-queue";
import type { Embedder, LanguageModel } from "../ports/language-model";
import type { MessageStore } from "../ports/message-store";
import type { MoodStore } from "../ports/mood-store";
import type { ShortTermMemory } from "../ports/short-term-memory";
import type { SlackGateway } from "../ports/slack-gateway";
import type { PersonalitySettings } from "./personality-settings";
import type { WorkingMemory } from "./working-memory";

export type AppLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

export interface ReplySettings {
  /** Recalled long-term memories offered to the prompt (before the token budget). */
  recallLimit: number;
  /** Recent channel or thread messages offered as the live conversation. */
  contextMessages: number;
  /** Tokens of recalled memory in the prompt. */
  memoryTokens: number;
  /** Longest a reply may take to generate before pup gives up on it. */
  generationTimeoutMs: number;
  /** pup apologises for not being able to think at most once per conversation per this long. */
  apologyWindowSeconds: number;
  /** Reply tokens asked of the model. */
  maxReplyTokens: number;
  /** Facts about the author offered to the prompt. */
  authorFacts: number;
}

export const DEFAULT_REPLY_SETTINGS: ReplySettings = {
  recallLimit: 12,
  contextMessages: 20,
  memoryTokens: 2000,
  generationTimeoutMs: 45_000,
  apologyWindowSeconds: 600,
  maxReplyTokens: 600,
  authorFacts: 8,
};

export interface PipelineDeps {
  eventLog: EventLog;
  messages: MessageStore;
  /** Recent messages per conversation (a cache of `messages`; see app/short-term.ts). */
  shortTerm: ShortTermMemory;
  /**
   * This process's copies of live conversations, checked against short-term memory's stamps
   * (app/working-memory.ts); absent, every read asks short-term memory.
   */
  workingMemory?: WorkingMemory;
  directory: Directory;
  botReplies: BotReplyLog;
  /** Facts about people and conversation summaries, for the prompt. */
  derived: DerivedMemory;
  /** pup's mood per conversation and its history (app/mood.ts). */
  moods: MoodStore;
  /** Who did what: admin commands are recorded here. */
  auditLog: AuditLog;
  queue: JobQueue;
  cache: KeyValueCache;
  slack: SlackGateway;
  model: LanguageModel;
  embedder: Embedder;
  logger: AppLogger;
  /** Unix milliseconds. */
  now: () => number;
  reply: ReplySettings;
  /** Persona, mood thresholds, repeat and engagement rules, how the mood shows. */
  personality: PersonalitySettings;
}
