// Port: per-workspace settings admins change with `/pup` commands. Retention (how long messages
// stay in the hot tables, `/pup retention <days>`) belongs to cleanup; the summary schedule (local
// hour and IANA zone) belongs to summaries. One row per workspace; a workspace without a row has
// the defaults below.

/** Days a message stays in `messages` when the workspace never set `/pup retention` (ADR-030). */
export const DEFAULT_RETENTION_DAYS = 365;
/** The bounds `/pup retention` accepts (one day to ten years). */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;

export interface SummarySchedule {
  /** Local hour (0-23) the daily summaries are written at (default 9). */
  hour: number;
  /** IANA zone of that hour (default "UTC"). */
  timeZone: string;
}

export const DEFAULT_SUMMARY_SCHEDULE: SummarySchedule = { hour: 9, timeZone: "UTC" };

export interface RetentionSetting {
  teamId: string;
  /** The days in effect: the stored value, or DEFAULT_RETENTION_DAYS. */
  days: number;
  /** False when the workspace never set one (the default applies). */
  explicit: boolean;
}

export interface WorkspaceSettings {
  /** The retention in effect for one workspace (the default when none was set). */
  getRetention(teamId: string): Promise<RetentionSetting>;
  /** Stores the retention; `updatedBy` is the Slack user who set it. */
  setRetention(teamId: string, days: number, updatedBy: string): Promise<void>;
  /** The summary schedule in effect (the defaults when none was set). */
  getSummarySchedule(teamId: string): Promise<SummarySchedule>;
  setSummarySchedule(teamId: string, schedule: SummarySchedule, updatedBy: string): Promise<void>;
  /** Every installed workspace with its retention in effect (cleanup's daily run walks these). */
  listRetention(): Promise<RetentionSetting[]>;
}
