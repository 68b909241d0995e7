// Port: what the cleanup queue removes from PostgreSQL when a workspace's retention runs out
// (ADR-030). Every method works on one workspace and one cutoff, removes at most `limit` rows per
// call (so a big backlog never holds a long transaction), and answers how many it removed: the
// caller loops until a call removes fewer than `limit`. Running any of them again removes nothing
// more.

export interface ArchiveBatch {
  /** Messages copied into `archived_messages` (without vectors) and removed from `messages`. */
  archived: number;
  /** Messages already deleted in Slack (text emptied): removed, nothing worth archiving. */
  dropped: number;
}

export interface DerivedPruned {
  /** Conversation summaries whose period ended before the cutoff. */
  summaries: number;
  /** Profile facts whose every source message was posted before the cutoff. */
  facts: number;
}

export interface RetentionStore {
  /**
   * Deletes what was derived only from messages older than `before`: run before those messages
   * are archived, while the source links that say so still exist.
   */
  pruneDerived(teamId: string, before: Date): Promise<DerivedPruned>;
  /** Moves up to `limit` messages posted before `before` out of the hot table. */
  archiveMessages(teamId: string, before: Date, limit: number): Promise<ArchiveBatch>;
  /**
   * Deletes up to `limit` raw Slack payloads received before `before` from the append-only event
   * log, through its sanctioned redaction path, with an audit row in the same transaction.
   */
  expireEvents(teamId: string, before: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` mood transitions recorded before `before`. */
  pruneMoodTransitions(teamId: string, before: Date, limit: number): Promise<number>;
  /** Recomputes the `user_stats` view without blocking its readers. */
  refreshUserStats(): Promise<void>;
}
