/**
 * `/pup role grant|revoke <@user> admin`: roles granted in pup, beside the roles Slack gives.
 * Only an admin now (Slack's or pup's) may grant or revoke; a revoke removes pup's grant and
 * nothing else, since a workspace admin or owner stays one in Slack whatever pup says.
 */
import { type RefusalReason, refusalText, runAdminAction } from "./admin-action";
import type { AdminDeps, AdminInvocation } from "./deps";
import { slackRole } from "./roles";

const USAGE = "/pup role [grant|revoke <@user> admin]";

/** `<@U123>` or `<@U123|name>` (how Slack escapes a user in a command's text); else undefined. */
export function parseUserMention(text: string): string | undefined {
  return /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/.exec(text)?.[1];
}

export const roleCommand = {
  name: "role",
  usage: USAGE,
  summary: "who pup treats as an admin; admins can grant or revoke pup's own admin role",
  async run(deps: AdminDeps, invocation: AdminInvocation): Promise<string> {
    const [verb = "", who = "", role = "", ...rest] = invocation.args.split(/\s+/).filter(Boolean);
    if (verb === "" || verb.toLowerCase() === "list") return listGrants(deps, invocation.teamId);
    const action = verb.toLowerCase();
    const userId = parseUserMention(who);
    if ((action !== "grant" && action !== "revoke") || !userId || role !== "admin" || rest.length) {
      return `Usage: \`${USAGE}\`. Mention the person (e.g. \`/pup role grant @alex admin\`); \`admin\` is the only role pup grants.`;
    }
    const refused = (reason: RefusalReason) => refusalText(reason, `${action} pup's admin role`);
    return runAdminAction(
      deps,
      invocation,
      { action: `admin.role.${action}`, subject: userId, args: { user: userId, role: "admin" } },
      action === "grant"
        ? () => grant(deps, invocation, userId)
        : () => revoke(deps, invocation, userId),
      refused,
    );
  },
};

async function grant(deps: AdminDeps, invocation: AdminInvocation, userId: string) {
  const role = await slackRole(deps, invocation.teamId, userId);
  if (role === null) {
    return {
      answer: `Slack doesn't know <@${userId}> in this workspace.`,
      result: { granted: false, reason: "unknown_user" },
    };
  }
  const granted = await deps.roleGrants.grant({
    teamId: invocation.teamId,
    userId,
    role: "admin",
    grantedBy: invocation.userId,
  });
  return {
    answer: granted
      ? `<@${userId}> is now an admin in pup.`
      : `<@${userId}> was already an admin in pup.`,
    result: { granted },
  };
}

async function revoke(deps: AdminDeps, invocation: AdminInvocation, userId: string) {
  const revoked = await deps.roleGrants.revoke(invocation.teamId, userId, "admin");
  const role = await slackRole(deps, invocation.teamId, userId).catch(() => null);
  // Slack's roles are Slack's: say so rather than pretend the revoke took them away.
  const still = role?.isOwner
    ? " They are still a workspace owner in Slack, which pup can't change."
    : role?.isAdmin
      ? " They are still a workspace admin in Slack, which pup can't change."
      : "";
  return {
    answer: `${revoked ? `<@${userId}> is no longer an admin in pup.` : `<@${userId}> had no admin role granted in pup.`}${still}`,
    result: { revoked },
  };
}

async function listGrants(deps: AdminDeps, teamId: string): Promise<string> {
  const grants = await deps.roleGrants.list(teamId);
  const lines = ["Workspace admins and owners in Slack are admins in pup."];
  lines.push(
    grants.length === 0
      ? "No one else has been granted pup's admin role."
      : `Granted in pup: ${grants.map((g) => `<@${g.userId}> (by <@${g.grantedBy}>)`).join(", ")}.`,
  );
  return lines.join("\n");
}
