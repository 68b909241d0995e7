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
  model?: string | null;
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
  saveSummary(input: SummaryInput): Promise<number>;
  /**
   * The channel's latest summary (not a thread's), or undefined. Only ever shown in that same
   * channel, where all of its content is visible, so no further visibility rule applies.
   */
  latestSummary(teamId: string, channelId: string): Promise<string | undefined>;
}
