// Port: a workspace's installation state, and purging everything of a workspace (ADR-034).

export interface WorkspaceState {
  teamId: string;
  /** Set while the app is uninstalled (or its bot token revoked): pup does not answer. */
  uninstalledAt: Date | null;
  /** When its data goes, unless reinstalled first. */
  purgeAfter: Date | null;
}

export interface WorkspaceLifecycle {
  /** Records the uninstall (the workspace row is created if unknown); keeps an earlier time. */
  markUninstalled(teamId: string, at: Date, purgeAfter: Date): Promise<void>;
  /** A reinstall: clears the uninstall. True when the workspace had been uninstalled. */
  markInstalled(teamId: string): Promise<boolean>;
  /** The workspace's state, or undefined when pup has never heard of it. */
  state(teamId: string): Promise<WorkspaceState | undefined>;
  /** Uninstalled workspaces whose grace period has ended by `now`. */
  dueForPurge(now: Date): Promise<string[]>;
  /**
   * Deletes every row of the workspace in every table (the event log and audit log included),
   * in one transaction, if it is still uninstalled and due at `now`; returns rows removed per
   * table, or undefined when it was reinstalled or is not due. The purge's own audit row names
   * the workspace only by a digest, so nothing of it is left.
   */
  purge(teamId: string, now: Date): Promise<Record<string, number> | undefined>;
}
