import type { Ports } from "../../ports";
import type { DirectoryDeps } from "../directory";

/**
 * Who may run admin commands: Slack's live word (`users.info`, briefly cached), roles granted in
 * pup, and the audit log every admin action lands in, allowed or refused.
 */
export type AdminDeps = DirectoryDeps &
  Pick<
    Ports,
    "slack" | "cache" | "roleGrants" | "auditLog" | "workspaceSettings" | "logger" | "now"
  >;

/** One `/pup …` call as the admin feature sees it (the commands router hands it over). */
export interface AdminInvocation {
  teamId: string;
  userId: string;
  channelId: string;
  /** Everything after the subcommand's name. */
  args: string;
}
