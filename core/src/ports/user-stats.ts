// Port: per-user message statistics, computed in bulk and read cheaply.

export interface UserStatsRow {
  teamId: string;
  userId: string;
  messageCount: number;
  channelCount: number;
  firstMessageAt: Date;
  lastMessageAt: Date;
}

export interface UserStats {
  /**
   * Recomputes every workspace's statistics without blocking readers. The one operation not
   * scoped to a team: it is maintenance, run by a scheduled job.
   */
  refresh(): Promise<void>;
  get(teamId: string, userId: string): Promise<UserStatsRow | undefined>;
  /** Most active first. */
  listForTeam(teamId: string, limit?: number): Promise<UserStatsRow[]>;
}
