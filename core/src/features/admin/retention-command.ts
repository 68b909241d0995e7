/**
 * `/pup retention <days>`: how long the workspace wants pup to keep what it remembers. There is
 * no settings table yet, so the audit log is the setting's home: the newest allowed
 * `admin.retention.set` row is the value. Nothing purges by age yet; the answer says so.
 */
import { refusalText, runAdminAction } from "./admin-action";
import type { AdminDeps, AdminInvocation } from "./deps";

const USAGE = "/pup retention [<days>]";
const MAX_DAYS = 3650;

/** The workspace's retention in days as last set by an admin, or undefined. */
export async function retentionDays(deps: AdminDeps, teamId: string): Promise<number | undefined> {
  const rows = await deps.auditLog.list(teamId, { action: "admin.retention.set", limit: 50 });
  for (const row of rows) {
    const days = (row.details.args as { days?: unknown } | undefined)?.days;
    if (row.details.outcome === "allowed" && typeof days === "number") return days;
  }
  return undefined;
}

export const retentionCommand = {
  name: "retention",
  usage: USAGE,
  summary: "how many days pup keeps what it remembers; admins can set it",
  async run(deps: AdminDeps, invocation: AdminInvocation): Promise<string> {
    const arg = invocation.args.trim();
    if (arg === "") {
      const days = await retentionDays(deps, invocation.teamId);
      return days === undefined
        ? "No retention set: pup keeps what it remembers until it is forgotten."
        : `Retention set to ${days} days.`;
    }
    const days = /^\d{1,4}$/.test(arg) ? Number(arg) : Number.NaN;
    if (!(days >= 1 && days <= MAX_DAYS)) {
      return `Usage: \`${USAGE}\`, where <days> is a whole number from 1 to ${MAX_DAYS}.`;
    }
    return runAdminAction(
      deps,
      invocation,
      { action: "admin.retention.set", subject: invocation.teamId, args: { days } },
      async () => ({
        answer: `Retention set to ${days} days. pup doesn't delete by age yet; the setting is kept for when it does.`,
      }),
      (reason) => refusalText(reason, "set retention"),
    );
  },
};
