// Port: short-term memory, the recent messages of each live conversation (a channel's timeline
// and each thread), kept for a day in Redis (in process for the demo). It is a cache of the
// message store: PostgreSQL stays the only record, and whenever short-term memory cannot vouch
// for an answer it says so (undefined) so the caller asks PostgreSQL instead. An answer it does
// give is the one PostgreSQL would give: same messages, same order, edits applied, deletions gone.
// Each conversation also has a stamp, which every write that can change its answer moves, so a
// process may keep its own copy of an answer (working memory) and check it with one cheap read.
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

/** How one write moved a conversation's stamp. */
export interface StampMove {
  conversation: ShortTermConversation;
  /** The stamp just before the write. */
  from: string;
  /** The stamp the write left: what {@link ShortTermMemory.stamp} answers until the next write. */
  to: string;
}

/** What {@link ShortTermMemory.readStamped} answers. */
export type StampedRead =
  /** The stamp is the one the caller gave: its copy still holds, no messages were read. */
  | { stamp: string; unchanged: true }
  /** Another stamp, and what `recent` answers (undefined: a miss), read after the stamp. */
  | { stamp: string; unchanged: false; messages: ShortTermMessage[] | undefined };

export interface ShortTermMemory {
  /**
   * Adds new messages (from the message store, after it recorded them) to their channel's
   * timeline and, for thread replies, to their thread. Idempotent. Never brings back a removed
   * message and never overwrites the text of one it already holds (edits go through replaceText).
   * Moves the stamps of those conversations and tells how, atomically with the write, for each
   * of them that had a stamp; one it does not list had none, so nothing can be current at it.
   */
  remember(teamId: string, channelId: string, messages: ShortTermMessage[]): Promise<StampMove[]>;
  /**
   * The message's current text after an edit; nothing happens to the copy if it is not held or
   * removed. Moves the stamp of every conversation of the channel (any may hold the message).
   */
  replaceText(ref: MessageRef, text: string): Promise<void>;
  /**
   * Removes a deleted message for good: no later remember or warm brings it back. Moves the
   * stamp of every conversation of the channel.
   */
  remove(ref: MessageRef): Promise<void>;
  /**
   * The conversation's stamp: an opaque string that stays the same until a write that may change
   * the conversation's answer (remember, replaceText, remove, forgetConversation, forgetMessage;
   * not warm), and is never given again once it moved, expired or was flushed. An answer read
   * after the stamp was read holds for as long as the stamp stays the same.
   */
  stamp(conversation: ShortTermConversation): Promise<string>;
  /**
   * The conversation's stamp and, unless it equals `held` (the stamp of a copy the caller
   * keeps), the answer `recent` gives, read after the stamp: one round trip when it is `held`,
   * no more than `recent` otherwise.
   */
  readStamped(
    conversation: ShortTermConversation,
    limit: number,
    held: string | undefined,
  ): Promise<StampedRead>;
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
  /**
   * Drops a conversation's list (after a write that may have been lost); the next read misses.
   * Moves its stamp.
   */
  forgetConversation(conversation: ShortTermConversation): Promise<void>;
  /**
   * Drops one message's copy (after an edit that may have been lost); lists holding it miss.
   * Moves the stamp of every conversation of the channel.
   */
  forgetMessage(ref: MessageRef): Promise<void>;
  /**
   * Drops every list and live message copy of a channel (its timeline and all its threads), for
   * when invalidations of that channel were lost: every read of it misses until warmed again from
   * the message store. Tombstones stay, so no deleted message comes back. Moves every stamp of
   * the channel.
   */
  forgetChannel(teamId: string, channelId: string): Promise<void>;
  /**
   * The same for every channel: drops all lists and live copies (tombstones stay), for when not
   * even the channels that lost invalidations could be kept track of.
   */
  forgetAll(): Promise<void>;
  /**
   * "Forget me": finds every live copy written by `userId` in the workspace (including messages
   * not yet in the message store) and drops each of their channels whole, as
   * {@link forgetChannel} does. Returns those channels.
   */
  forgetAuthor(teamId: string, userId: string): Promise<string[]>;
  /** Drops everything of a workspace, tombstones included (its data is being purged). */
  forgetTeam(teamId: string): Promise<void>;
}
