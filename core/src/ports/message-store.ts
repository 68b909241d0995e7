// Port: messages as memory sees them, the projection of the event log, with their embeddings
// and full-text index. Every call is scoped to one workspace.
import type { ChannelVisibility } from "./slack-vocabulary";

export interface MessageInput {
  teamId: string;
  channelId: string;
  /** Slack's message timestamp, unique within a channel. */
  ts: string;
  threadTs?: string | null;
  userId?: string | null;
  botId?: string | null;
  text: string;
  /**
   * What the caller believes the conversation's visibility is. Not stored: the copy on the
   * message (for filtered recall) is always taken from the conversation's directory row, which
   * conversions rewrite, so a stale belief cannot widen what a private channel said.
   */
  visibility?: ChannelVisibility;
  postedAt: Date;
  /** The event-log row this projection came from. */
  sourceEventId?: number | null;
}

export interface StoredMessage {
  id: number;
  teamId: string;
  channelId: string;
  ts: string;
  threadTs: string | null;
  userId: string | null;
  botId: string | null;
  text: string;
  visibility: ChannelVisibility;
  postedAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export interface MessageRef {
  teamId: string;
  channelId: string;
  ts: string;
}

/** A message lexical recall found, with what BM25 needs to know about it. */
export interface LexicalMessage {
  message: StoredMessage;
  /** Lexeme (stemmed word) -> occurrences in the message. */
  terms: Record<string, number>;
  /** Word positions in the message: its length. */
  length: number;
  /**
   * Cosine similarity to the query's embedding, for matches (not the turns brought in around
   * them: reading every vector would cost more than it helps), when one was given and the
   * message has one.
   */
  similarity: number | null;
  /** The message just before and just after it in its channel, when they were fetched. */
  previousId: number | null;
  nextId: number | null;
}

/** What lexical recall gives ranking: matches, the turns around them, and word statistics. */
export interface LexicalRecall {
  /** Searchable messages in the workspace, and their word positions in all. */
  docs: number;
  tokens: number;
  /** The query's lexemes that occur in the workspace, with how many messages hold each. */
  lexemes: Record<string, number>;
  /** Matches within the scope (at most `limit`) and up to `around` turns either side of each. */
  messages: LexicalMessage[];
}

/** One vector for {@link MessageStore.setEmbeddings}. */
export interface EmbeddingItem {
  messageId: number;
  embedding: number[];
  /** The text the vector was computed from: the row is skipped if its text differs now. */
  text?: string;
}

/**
 * Recall is always asked from one conversation: it sees that conversation plus the workspace's
 * public channels (those the asker is a member of, for guests and people from other
 * organisations), never another DM or private channel. Every turn returned passes this rule,
 * neighbouring turns included.
 */
export interface RecallScope {
  teamId: string;
  /** The conversation the recall is for. */
  fromChannelId: string;
  /**
   * Set when the asker is a guest or from another organisation: public channels count only when
   * they are in this list (the conversations the asker is a member of). Unset: every public one.
   */
  memberOf?: readonly string[];
  limit: number;
}

export interface RecalledMessage {
  message: StoredMessage;
  /** Cosine distance for vector recall (lower is closer); rank for text search (higher is better). */
  score: number;
}

export interface MessageStore {
  /**
   * Inserts the message, or refreshes its text if it exists (a text change drops the stale
   * embedding). A deleted message stays deleted and an edited one keeps its edited text.
   * Idempotent for duplicate deliveries.
   *
   * A message whose author was forgotten at or after `postedAt` ("forget me", ADR-034: a retry
   * or a late delivery of what they said before) is not stored, nor its stored row refreshed.
   * The answer is then a tombstone that is not in the store: `id` 0, `text` empty, `deletedAt`
   * the time they were forgotten. Callers treat it as a message deleted before it arrived.
   */
  upsert(message: MessageInput): Promise<StoredMessage>;
  find(ref: MessageRef): Promise<StoredMessage | undefined>;
  /** Applies an edit; the embedding is cleared so it is recomputed. False if not found/deleted. */
  edit(ref: MessageRef, text: string, editedAt: Date): Promise<boolean>;
  /** Keeps the row as a tombstone with its text and embedding emptied, so nothing stays searchable. */
  softDelete(ref: MessageRef, deletedAt: Date): Promise<boolean>;
  /** Removes the row; facts that cited it lose that source (cascade). */
  hardDelete(ref: MessageRef): Promise<boolean>;
  /** A thread's live messages, root first, oldest to newest. */
  thread(
    teamId: string,
    channelId: string,
    threadTs: string,
    limit?: number,
  ): Promise<StoredMessage[]>;
  /** The latest live messages of a channel, returned oldest to newest. */
  recentInChannel(teamId: string, channelId: string, limit: number): Promise<StoredMessage[]>;
  /**
   * One user's latest live messages in one conversation posted since `since`, newest first, with
   * their embeddings (null until embedded): what the repeated-question check compares against.
   */
  recentFromUser(
    teamId: string,
    channelId: string,
    userId: string,
    since: Date,
    limit: number,
  ): Promise<(StoredMessage & { embedding: number[] | null })[]>;
  /**
   * One user's live messages in every conversation of the workspace, newest first, skipping
   * `offset`: what pup may recall of them, as their App Home and `/pup remember` list it (only
   * to them: a message from a DM or a private channel is theirs too).
   */
  recentByAuthor(
    teamId: string,
    userId: string,
    limit: number,
    offset?: number,
  ): Promise<StoredMessage[]>;
  /**
   * Stores the message's embedding; false if the message is gone or deleted, or (when `text`,
   * the text the vector was computed from, is given) edited since.
   */
  setEmbedding(
    teamId: string,
    messageId: number,
    embedding: number[],
    model: string,
    text?: string,
  ): Promise<boolean>;
  /**
   * The messages of many refs (any workspaces) in one query, in no particular order; refs with
   * no row are left out. Deleted messages come back as tombstones, as from `find`.
   */
  findMany(refs: readonly MessageRef[]): Promise<StoredMessage[]>;
  /**
   * Stores many embeddings of one workspace in one statement. A row that is gone, deleted, or
   * (when the item names the `text` it was computed from) edited since, is skipped.
   * @returns how many rows were stored.
   */
  setEmbeddings(teamId: string, items: readonly EmbeddingItem[], model: string): Promise<number>;
  /** Nearest live messages by cosine distance, within the recall scope. */
  nearest(scope: RecallScope, embedding: number[]): Promise<RecalledMessage[]>;
  /**
   * Messages within the recall scope sharing a word (English stemming) with the query, the
   * `around` turns either side of each, and the workspace's word statistics for ranking them.
   */
  lexical(
    scope: RecallScope,
    query: string,
    around: number,
    embedding?: number[],
  ): Promise<LexicalRecall>;
  /** Full-text search (English, web-search syntax) within the recall scope, best first. */
  search(scope: RecallScope, query: string): Promise<RecalledMessage[]>;
}
