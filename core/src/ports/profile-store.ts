// Port: people's profiles as facts with provenance. Each fact names the messages it came from;
// a newer fact on the same subject supersedes the older one, which stays as history (valid from
// its first source until it was superseded) and is never shown as current (ADR-029).

/** `fact` (stated), `interest`, or `preference` (how they like to be answered). */
export type FactKind = "fact" | "interest" | "preference";

/** A fact drawn from one person's messages, as the profile job hands it over. */
export interface ExtractedFact {
  kind: FactKind;
  /** Normalised (`home_city`, `role`, `favourite_food`): a newer fact on it supersedes. */
  subject: string;
  /** Third person, short: "lives in Lisbon". */
  fact: string;
  /** Stored messages (ids) it was drawn from; at least one. */
  sourceMessageIds: number[];
  /** When it became true as far as pup knows: its latest source's posting time. */
  validFrom: Date;
}

/** A user's message the profile job reads, with what pup said just before it there. */
export interface ProfileMessage {
  id: number;
  channelId: string;
  threadTs: string | null;
  text: string;
  postedAt: Date;
  /** pup's message just before this one in the same conversation (thread), if it was pup's. */
  pupBefore: string | null;
}

export interface FactSource {
  messageId: number;
  channelId: string;
  ts: string;
  deleted: boolean;
}

export interface ProfileFact {
  id: number;
  kind: FactKind;
  subject: string | null;
  fact: string;
  validFrom: Date;
  supersededAt: Date | null;
  supersededBy: number | null;
  sources: FactSource[];
}

/** What applying a batch of extracted facts did, by count (logged by the job). */
export interface ApplyOutcome {
  added: number;
  superseded: number;
  /** Restated: a source linked to the current fact, nothing new. */
  confirmed: number;
  /** Already applied (the job ran before): nothing done. */
  skipped: number;
}

export interface ProfileStore {
  /**
   * The user's live messages stored (created) since `since`, oldest first, at most `limit`,
   * each with pup's message just before it in its conversation when that was pup's.
   */
  messagesSince(
    teamId: string,
    userId: string,
    since: Date,
    limit: number,
    botUserId: string,
  ): Promise<ProfileMessage[]>;
  /**
   * Applies facts in one transaction per user (serialised with other jobs for the same user):
   * same subject and value restated adds the source; a different value supersedes the current
   * fact (or, if older than it, is kept as history); a source already applied is skipped.
   */
  applyFacts(teamId: string, userId: string, facts: ExtractedFact[]): Promise<ApplyOutcome>;
  /** The user's facts, newest first, with their sources; history too with `includeSuperseded`. */
  facts(
    teamId: string,
    userId: string,
    options?: { includeSuperseded?: boolean },
  ): Promise<ProfileFact[]>;
  /**
   * A message was deleted: it stops being a source, and the facts left with no source are
   * removed (a superseded fact they had replaced becomes current again). Returns facts removed.
   */
  dropSource(teamId: string, messageId: number): Promise<number>;
}
