// Port: short-term memory, the recent messages of each live conversation (a channel's timeline
// and each thread), kept for a day in Redis (in process for the demo). It is a cache of the
// message store: PostgreSQL stays the only record, and whenever short-term memory cannot vouch
// for an answer it says so (undefined) so the caller asks PostgreSQL instead. An answer it does
// give is the one PostgreSQL would give: same messages, same order, edits applied, deletions gone.
import type { MessageRef } from "./message-store";

/** A message as short-term memory keeps it: what the live conversation needs, nothing more. */
export interface ShortTermMessage {
  /** Slack's message timestamp, unique within a channel. */
  ts: string;
  /** The thread it replies in; null for a top-level message (a thread's root included). */
  threadTs: string | null;
  userId: string | null;
  botId: string | null;
  text: string;
  postedAt: Date;
}

/** One conversation short-term memory keeps a list for. */
export interface ShortTermConversation {
  teamId: string;
  channelId: string;
  /**
   * null: the channel's timeline (every live message, thread replies included, as
   * MessageStore.recentInChannel); otherwise that thread, its root and replies (MessageStore.thread).
   */
  threadTs: string | null;
}

export interface ShortTermMemory {
  /**
   * Adds new messages (from the message store, after it recorded them) to their channel's
   * timeline and, for thread replies, to their thread. Idempotent. Never brings back a removed
   * message and never overwrites the text of one it already holds (edits go through replaceText).
   */
  remember(teamId: string, channelId: string, messages: ShortTermMessage[]): Promise<void>;
  /** The message's current text after an edit; nothing happens if it is not held or removed. */
  replaceText(ref: MessageRef, text: string): Promise<void>;
  /** Removes a deleted message for good: no later remember or warm brings it back. */
  remove(ref: MessageRef): Promise<void>;
  /**
   * The newest `limit` live messages of the conversation, oldest first, ordered as the message
   * store orders them (post time, then ts); undefined when short-term memory cannot be sure it
   * holds all of them (empty, expired, flushed, or never warmed), so the caller reads PostgreSQL.
   */
  recent(
    conversation: ShortTermConversation,
    limit: number,
  ): Promise<ShortTermMessage[] | undefined>;
  /**
   * Stores what the message store answered for the conversation (its newest live messages,
   * oldest first) so the next read is served from short-term memory. `complete` says the list is
   * the conversation's whole history, so shorter reads can be answered too.
   */
  warm(
    conversation: ShortTermConversation,
    messages: ShortTermMessage[],
    complete: boolean,
  ): Promise<void>;
  /** Drops a conversation's list (after a write that may have been lost); the next read misses. */
  forgetConversation(conversation: ShortTermConversation): Promise<void>;
  /** Drops one message's copy (after an edit that may have been lost); lists holding it miss. */
  forgetMessage(ref: MessageRef): Promise<void>;
}
