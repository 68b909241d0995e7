// Port: what "forget" removes from the database (ADR-034). Each purge runs in one transaction
// and writes its audit row (who asked, when, counts; never content) in that same transaction.

import type { SummaryPeriod } from "./derived-memory";
import type { MessageRef } from "./message-store";

/** Who asked for a purge: a Slack user id, or `system`, and the audit action to record. */
export interface PurgeAudit {
  actor: string;
  /** e.g. `privacy.forget_me`, `privacy.forget_message`, `privacy.slack_deleted`. */
  action: string;
}

/** What a purge removed, so the caller can clear the copies outside the database. */
export interface PurgeResult {
  /** Every message removed or emptied: the user's own and pup's replies to them. */
  refs: MessageRef[];
  /** Channels those messages were in (short-term and working memory drop them whole). */
  channelIds: string[];
  /** Summaries deleted because they drew on a removed message: rewrite them without it. */
  summaryPeriods: SummaryPeriod[];
  /** Slack event ids of the payloads redacted (their queued or finished jobs go too). */
  eventIds: string[];
  /** Rows removed or emptied per table, for the audit row, the log and the note. */
  counts: Record<string, number>;
}

export interface ForgetStore {
  /**
   * Marks the user forgotten at `at` (users.forgotten_at; their names are cleared). From then on
   * no message of theirs posted before `at` is stored again (retries, queued deliveries).
   */
  markForgotten(teamId: string, userId: string, at: Date): Promise<void>;
  /** When the user was last forgotten, if ever. */
  forgottenAt(teamId: string, userId: string): Promise<Date | undefined>;
  /**
   * Removes everything the user said and what was derived from it: their messages (rows,
   * vectors, word statistics through the trigger), pup's stored replies to them, the event
   * log's payloads that carry their words (audited redaction, ADR-007), archived copies,
   * their profile and facts, facts about others drawn only from their messages, summaries that
   * drew on their messages, mood history links to their messages. Idempotent. Once they are
   * marked forgotten, "what they said" is what they said until then: a sweep run after they
   * spoke to pup again leaves the new conversation alone.
   */
  purgeUser(teamId: string, userId: string, audit: PurgeAudit): Promise<PurgeResult>;
  /**
   * Forgets one message the same way: its row is emptied (a tombstone: never stored again),
   * its payloads redacted, facts drawn only from it deleted (other facts lose the link), the
   * summaries that drew on it deleted, pup's stored reply to it removed. Idempotent.
   */
  purgeMessage(ref: MessageRef, audit: PurgeAudit): Promise<PurgeResult>;
  /** The author of a stored message (or undefined when unknown), for "its author or an admin". */
  authorOf(ref: MessageRef): Promise<string | null | undefined>;
}
