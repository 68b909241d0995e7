// Port: pup's mood per conversation (team + channel) and the history of how it changed and why.
// PostgreSQL holds the truth; writes are optimistic (a version per conversation), so two
// messages handled at once in one channel cannot overwrite each other's signals.
import type { Mood } from "./slack-vocabulary";

/** One conversation's stored mood: the machine's state as plain JSON, and its version. */
export interface StoredMood {
  mood: Mood;
  since: Date;
  /** The mood machine's state (core/src/features/personality/mood-machine.ts), as stored. */
  state: Record<string, unknown>;
  /** 0 when nothing is stored yet; each successful save adds one. */
  version: number;
}

/** A recorded change of mood, with why and what caused it. */
export interface MoodTransitionRecord {
  from: Mood;
  to: Mood;
  reason: string;
  at: Date;
  /** The Slack message that caused it, if one did (a decay has none). */
  messageTs?: string | null;
  /** The Slack event that caused it, if one did. */
  eventId?: string | null;
  /**
   * Who wrote the message that caused it (their App Home lists it); none for a decay or a
   * reaction. Written by `save`, read back only by `transitionsTriggeredBy`.
   */
  userId?: string | null;
}

/** A transition someone's message caused, with the conversation it happened in. */
export interface TriggeredTransition extends MoodTransitionRecord {
  channelId: string;
}

export interface MoodStore {
  /** The conversation's stored mood, or undefined when it has none yet. */
  load(teamId: string, channelId: string): Promise<StoredMood | undefined>;
  /**
   * Stores `next` (mood, since, state) and appends `transitions`, in one transaction, only if the
   * stored version is still `expectedVersion` (0: nothing stored yet).
   * @returns the new version, or undefined when someone else saved first (reload and retry).
   */
  save(
    teamId: string,
    channelId: string,
    expectedVersion: number,
    next: { mood: Mood; since: Date; state: Record<string, unknown>; reason: string | null },
    transitions: readonly MoodTransitionRecord[],
  ): Promise<number | undefined>;
  /** The latest transitions of the conversation, newest first. */
  history(teamId: string, channelId: string, limit: number): Promise<MoodTransitionRecord[]>;
  /** The latest transitions `userId`'s messages caused, in every conversation, newest first. */
  transitionsTriggeredBy(
    teamId: string,
    userId: string,
    limit: number,
  ): Promise<TriggeredTransition[]>;
}
