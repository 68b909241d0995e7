/**
 * `/pup retention <days>`: how long the workspace keeps messages in pup's memory (ADR-030). The
 * value lives in workspace_settings, where the cleanup queue's daily run reads it; a workspace
 * that never set one keeps DEFAULT_RETENTION_DAYS. Setting it is an admin action (live role,
 * audit row either way); reading it is open to everyone in the workspace.
 */
import {
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
} from "../../ports/workspace-settings";
import { refusalText, runAdminAction } from "./admin-action";
import type { AdminDeps, AdminInvocation } from "./deps";

const USAGE = "/pup retention [<days>]";

/** The workspace's retention in days as last set by an admin, or undefined (the default). */
export async function retentionDays(deps: AdminDeps, teamId: string): Promise<number | undefined> {
  const setting = await deps.workspaceSettings.getRetention(teamId);
  return setting.explicit ? setting.days : undefined;
}

export const retentionCommand = {
  name: "retention",
  usage: USAGE,
  summary: "how many days pup keeps messages before archiving them; admins can set it",
  async run(deps: AdminDeps, invocation: AdminInvocation): Promise<string> {
    const arg = invocation.args.trim();
    if (arg === "") {
      const days = await retentionDays(deps, invocation.teamId);
      return days === undefined
        ? `Retention: ${DEFAULT_RETENTION_DAYS} days (the default). Older messages are archived daily.`
        : `Retention set to ${days} days.`;
    }
    const days = /^\d{1,4}$/.test(arg) ? Number(arg) : Number.NaN;
    if (!(days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS)) {
      return `Usage: \`${USAGE}\`, where <days> is a whole number from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}.`;
    }
    return runAdminAction(
      deps,
      invocation,
      { action: "admin.retention.set", subject: invocation.teamId, args: { days } },
      async () => {
        const before = await retentionDays(deps, invocation.teamId);
        await deps.workspaceSettings.setRetention(invocation.teamId, days, invocation.userId);
        return {
          answer: `Retention set to ${days} days. Messages older than that are archived out of pup's memory in the next daily cleanup.`,
          result: { before: before ?? null },
        };
      },
      (reason) => refusalText(reason, "set retention"),
    );
  },
};
