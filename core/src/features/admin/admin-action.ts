/**
 * Runs one admin action: the caller's role checked live, then the action, and one audit row
 * whatever happened (allowed, refused and why, or failed). The row says who, what (the action
 * and its parsed arguments, never message text), where (the channel) and when (its `at`).
 */
import { ensureWorkspace } from "../directory";
import type { AdminDeps, AdminInvocation } from "./deps";
import { type AdminSource, adminSource } from "./roles";

/** Why an admin action was refused. */
export type RefusalReason = "not_admin" | "self_grant" | "role_check_failed";

export interface AdminAction {
  /** A dotted verb, e.g. `admin.tone.set`. */
  action: string;
  /** What it acts on (a channel, a user); defaults to the channel. */
  subject?: string;
  /** The parsed arguments: ids, names, numbers. */
  args: Record<string, unknown>;
}

export interface AdminOutcome {
  answer: string;
  /** What changed, for the audit row. */
  result?: Record<string, unknown>;
}

/**
 * Checks that the caller is an admin now, performs the action if so, and audit-logs it.
 * Returns the answer for the caller: the action's, or `refused(reason)`.
 */
export async function runAdminAction(
  deps: AdminDeps,
  invocation: AdminInvocation,
  request: AdminAction,
  perform: (via: AdminSource) => Promise<AdminOutcome>,
  refused: (reason: RefusalReason) => string,
): Promise<string> {
  // The audit log's rows are per workspace; a command may be the first we hear of one.
  await ensureWorkspace(deps, invocation.teamId);
  const audit = (details: Record<string, unknown>) =>
    deps.auditLog.record({
      teamId: invocation.teamId,
      actor: invocation.userId,
      action: request.action,
      subject: request.subject ?? invocation.channelId,
      details: { channel: invocation.channelId, args: request.args, ...details },
    });

  let via: AdminSource | null;
  try {
    via = await adminSource(deps, invocation.teamId, invocation.userId);
  } catch (error) {
    deps.logger.warn(
      { err: error, teamId: invocation.teamId, userId: invocation.userId, action: request.action },
      "admin role check failed; refusing",
    );
    await audit({ outcome: "refused", reason: "role_check_failed" });
    return refused("role_check_failed");
  }
  if (via === null) {
    const selfGrant =
      request.action === "admin.role.grant" && request.args.user === invocation.userId;
    const reason: RefusalReason = selfGrant ? "self_grant" : "not_admin";
    await audit({ outcome: "refused", reason });
    return refused(reason);
  }
  try {
    const outcome = await perform(via);
    await audit({ outcome: "allowed", via, ...(outcome.result ? { result: outcome.result } : {}) });
    return outcome.answer;
  } catch (error) {
    const code = error instanceof Error ? error.name : "error";
    await audit({ outcome: "failed", via, error: code }).catch((auditError: unknown) =>
      deps.logger.error({ err: auditError }, "audit row for a failed admin action not written"),
    );
    throw error;
  }
}

/** The sentence a refused caller reads. */
export function refusalText(reason: RefusalReason, what: string): string {
  switch (reason) {
    case "role_check_failed":
      return `pup couldn't confirm your role with Slack just now, so it didn't ${what}. Try again in a minute.`;
    case "self_grant":
      return "Only workspace admins and owners (or admins granted in pup) can grant roles, yourself included.";
    default:
      return `Only workspace admins and owners (or admins granted in pup) can ${what}.`;
  }
}
