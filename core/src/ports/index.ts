// Every port a feature may ask for, by the name the process starter gives it. A feature's
// dependencies are a Pick of these (plus its own settings), so its Deps type names exactly the
// outside world it uses; the starter builds one object that satisfies them all.
import type { AuditLog } from "./audit-log";
import type { BotReplyLog } from "./bot-reply-log";
import type { KeyValueCache } from "./cache";
import type { DerivedMemory } from "./derived-memory";
import type { Directory } from "./directory";
import type { EventLog } from "./event-log";
import type { ForgetStore } from "./forget-store";
import type { JobQueue } from "./job-queue";
import type { Embedder, LanguageModel } from "./language-model";
import type { Logger } from "./logger";
import type { MemoryBus } from "./memory-bus";
import type { MessageStore } from "./message-store";
import type { MoodStore } from "./mood-store";
import type { ProfileStore } from "./profile-store";
import type { RateLimiter } from "./rate-limiter";
import type { RetentionStore } from "./retention-store";
import type { RoleGrants } from "./role-grants";
import type { ShortTermMemory } from "./short-term-memory";
import type { SlackGateway } from "./slack-gateway";
import type { WorkspaceLifecycle } from "./workspace-lifecycle";
import type { WorkspaceSettings } from "./workspace-settings";

export interface Ports {
  /** Every Slack payload, as received. */
  eventLog: EventLog;
  messages: MessageStore;
  /** Recent messages per conversation (a cache of `messages`). */
  shortTerm: ShortTermMemory;
  directory: Directory;
  botReplies: BotReplyLog;
  /** Facts about people and conversation summaries. */
  derived: DerivedMemory;
  /** People's profiles: facts with their source messages and history (ADR-029). */
  profiles: ProfileStore;
  /** pup's mood per conversation and its history. */
  moods: MoodStore;
  /** Who did what: admin commands are recorded here. */
  auditLog: AuditLog;
  /** Roles granted inside pup, beside the workspace roles Slack reports. */
  roleGrants: RoleGrants;
  /** Per-workspace settings: retention, summary hour and zone. */
  workspaceSettings: WorkspaceSettings;
  /** What the cleanup queue removes when retention runs out (ADR-030). */
  retention: RetentionStore;
  /** What "forget me" and "forget this message" remove from the database (ADR-034). */
  forgets: ForgetStore;
  /** Installed or uninstalled, and the purge of an uninstalled workspace (ADR-034). */
  workspaceLifecycle: WorkspaceLifecycle;
  /** Tells every process to drop working-memory copies after a forget. */
  memoryBus: MemoryBus;
  queue: JobQueue;
  cache: KeyValueCache;
  /** Exact limits on what costs: replies, commands, model tokens (ADR-025). */
  limiter: RateLimiter;
  slack: SlackGateway;
  model: LanguageModel;
  embedder: Embedder;
  logger: Logger;
  /** Unix milliseconds. */
  now: () => number;
}
