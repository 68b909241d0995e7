// Port: Slack installations. Tokens cross this port in plain text; adapters store them sealed.

export interface Installation {
  teamId: string;
  appId: string | null;
  botUserId: string;
  botId: string | null;
  scopes: string[];
  botToken: string;
  installedByUserId: string | null;
}

export interface InstallationStore {
  /** Creates or replaces the workspace's installation (creating the workspace if needed). */
  save(installation: Installation): Promise<void>;
  /** The installation with its token opened, or undefined if the workspace never installed pup. */
  find(teamId: string): Promise<Installation | undefined>;
}
