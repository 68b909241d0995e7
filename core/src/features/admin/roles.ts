/**
 * Who is an admin right now. Slack's roles are read live: a directory row filled at first sight
 * kept a demoted admin's powers for good (issue 14), so `users.info` is asked again once its
 * answer is a minute old, whatever the gateway's longer lookup cache holds. Roles granted in pup
 * are read from the database on every check, so a revoke takes effect on the next command.
 */
import type { AdminDeps } from "./deps";

/** How long Slack's answer about someone's role is trusted. */
export const LIVE_ROLE_SECONDS = 60;

/** What Slack says about a person's workspace role. */
export interface SlackRole {
  isAdmin: boolean;
  isOwner: boolean;
}

/** Why someone counts as an admin. */
export type AdminSource = "slack_owner" | "slack_admin" | "pup_grant";

interface CachedRole {
  role: SlackRole | null;
  /** deps.now() when Slack was asked. */
  checkedAt: number;
}

const cacheKey = (teamId: string, userId: string) => `admin:slack-role:${teamId}:${userId}`;

/**
 * Slack's word on `userId`'s role, at most {@link LIVE_ROLE_SECONDS} old; null for a user Slack
 * does not know. Rejects (SlackCallError) when Slack cannot be asked: callers refuse, never guess.
 */
export async function slackRole(
  deps: AdminDeps,
  teamId: string,
  userId: string,
): Promise<SlackRole | null> {
  const key = cacheKey(teamId, userId);
  const now = deps.now();
  try {
    const hit = await deps.cache.get(key);
    if (hit !== undefined) {
      const cached = JSON.parse(hit) as CachedRole;
      // The clock is checked as well as the cache's own expiry: the window is ours to enforce.
      const age = now - cached.checkedAt;
      if (age >= 0 && age < LIVE_ROLE_SECONDS * 1000) return cached.role;
    }
  } catch (error) {
    deps.logger.warn({ err: error, teamId, userId }, "role cache read failed; asking Slack");
  }
  const info = await deps.slack.userInfo(teamId, userId, { fresh: true });
  const role = info ? { isAdmin: info.isAdmin, isOwner: info.isOwner } : null;
  try {
    const entry: CachedRole = { role, checkedAt: now };
    await deps.cache.set(key, JSON.stringify(entry), LIVE_ROLE_SECONDS);
  } catch (error) {
    deps.logger.warn({ err: error, teamId, userId }, "role cache write failed");
  }
  return role;
}

/** Why `userId` is an admin now, or null when they are not. */
export async function adminSource(
  deps: AdminDeps,
  teamId: string,
  userId: string,
): Promise<AdminSource | null> {
  // The grant first: one indexed row, and it keeps granted admins working while Slack is down.
  if (await deps.roleGrants.has(teamId, userId, "admin")) return "pup_grant";
  const role = await slackRole(deps, teamId, userId);
  if (role?.isOwner) return "slack_owner";
  if (role?.isAdmin) return "slack_admin";
  return null;
}
