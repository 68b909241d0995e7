// Port: the append-only record of who did what (admin commands, redactions, installs).

export interface AuditEntryInput {
  teamId: string;
  /** A Slack user id, or `system` for pup's own actions. */
  actor: string;
  /** A dotted verb, e.g. `privacy.forget_me`, `admin.tone.set`. */
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends Required<AuditEntryInput> {
  id: number;
  at: Date;
}

export interface AuditLog {
  record(entry: AuditEntryInput): Promise<AuditEntry>;
  /** Newest first. */
  list(teamId: string, options?: { action?: string; limit?: number }): Promise<AuditEntry[]>;
}
