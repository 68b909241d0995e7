// Port: what pup derived from messages (facts about a person, summaries of a conversation).
// Reads are scoped like recall: a fact learned from a DM or a private channel only shows in
// that same conversation.

export interface ProfileFactInput {
  teamId: string;
  userId: string;
  fact: string;
  confidence?: number;
  /** The stored messages (ids) the fact came from; their visibility bounds where it shows. */
  sourceMessageIds: number[];
}

export interface SummaryInput {
  teamId: string;
  channelId: string;
  threadTs?: string | null;
  periodStart: Date;
  periodEnd: Date;
  summary: string;
  /** Whose words went in, so "forget me" can find it. */
  sourceUserIds: string[];
  /** The stored messages (ids) it drew on: deleting one regenerates it, recall cites them. */
  sourceMessageIds?: number[];
  model?: string | null;
}

/** Which messages a summary may draw on: the recall rule (visibility.ts) from `fromChannelId`. */
export interface SummaryScope {
  teamId: string;
  fromChannelId: string;
  /** A guest's or outside user's conversations: public talk only from these. */
  memberOf?: readonly string[];
  /** Only this conversation (`/pup summary`); unset: every conversation the scope allows. */
  onlyChannelId?: string;
}

/** A message a summary may quote, with its conversation's name. */
export interface SummarySourceMessage {
  id: number;
  channelId: string;
  /** Null for DMs and unnamed conversations. */
  channelName: string | null;
  ts: string;
  userId: string | null;
  text: string;
  postedAt: Date;
}

/** The period a stored summary covers (what regenerating it must cover again). */
export interface SummaryPeriod {
  teamId: string;
  channelId: string;
  threadTs: string | null;
  periodStart: Date;
  periodEnd: Date;
}

/** A stored summary offered to recall, with the messages it drew on. */
export interface RecalledSummary extends SummaryPeriod {
  id: number;
  channelName: string | null;
  summary: string;
  sources: { messageId: number; channelId: string; ts: string }[];
}

export interface DerivedMemory {
  addFact(input: ProfileFactInput): Promise<number>;
  /**
   * Facts about a user that may be shown in `fromChannelId`: those whose every source is, as
   * the conversations are now, a public channel or that same conversation. With `memberOf` (a
   * guest or someone from another organisation asking), a public source counts only when its
   * conversation is in that list. Newest first.
   */
  factsAbout(
    teamId: string,
    userId: string,
    fromChannelId: string,
    limit: number,
    memberOf?: readonly string[],
  ): Promise<string[]>;
  /**
   * Stores a summary with its sources, replacing the one for the same conversation and period
   * (a job run twice, or a regeneration, leaves one).
   */
  saveSummary(input: SummaryInput): Promise<number>;
  /** Removes the summary of that conversation and period (nothing left to summarise). */
  removeSummary(period: SummaryPeriod): Promise<void>;
  /** Messages in `[since, until)` a summary for `scope` may draw on, oldest first; no bots. */
  summarySources(
    scope: SummaryScope,
    since: Date,
    until: Date,
    limit: number,
  ): Promise<SummarySourceMessage[]>;
  /** Conversations where people (not bots) said something in `[since, until)`. */
  activeConversations(teamId: string, since: Date, until: Date): Promise<string[]>;
  /** The periods of stored summaries that drew on any of `messageIds`. */
  summariesCiting(teamId: string, messageIds: readonly number[]): Promise<SummaryPeriod[]>;
  /**
   * Channel summaries relevant to `query` (its words, or a channel it names) that may be shown
   * in `scope.fromChannelId`: a private conversation's only there, a public channel's anywhere
   * except to guests who are not members (the recall rule, read from the channel's state now).
   */
  recallSummaries(
    scope: Omit<SummaryScope, "onlyChannelId">,
    query: string,
    limit: number,
  ): Promise<RecalledSummary[]>;
  /**
   * The channel's latest summary (not a thread's), or undefined. Only ever shown in that same
   * channel, where all of its content is visible, so no further visibility rule applies.
   */
  latestSummary(teamId: string, channelId: string): Promise<string | undefined>;
}
