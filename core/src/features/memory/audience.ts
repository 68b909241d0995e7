/**
 * Who is asking, as far as recall cares (CONTRACT.md, "Who may see what"; ADR-022): a member of
 * the workspace recalls from every public channel; a guest (`is_restricted`,
 * `is_ultra_restricted`) or someone from another organisation (the event's `user_team`, or
 * `users.info` naming another team or `is_stranger`, or not visible at all) only from the
 * conversations they are a member of (`users.conversations`, cached briefly by the gateway).
 * When Slack cannot say, recall fails closed: only the conversation asked in.
 */
import type { RecallDeps } from "./deps";

export interface Asker {
  teamId: string;
  userId: string;
  /** The author's own workspace from the event (`user_team`), when Slack named it. */
  userTeamId?: string;
}

/** What limits recall for this asker: `memberOf` set means only those conversations' public talk. */
export interface Audience {
  memberOf?: string[];
}

export async function recallAudience(
  deps: Pick<RecallDeps, "slack" | "logger">,
  asker: Asker,
): Promise<Audience> {
  const { teamId, userId } = asker;
  let outsider: boolean;
  try {
    const info = await deps.slack.userInfo(teamId, userId);
    // The event's `user_team` names where the author posts from; a Grid member's home workspace
    // may be another of the organisation's, which `enterprise_user.teams` then lists.
    const home = asker.userTeamId ?? info?.teamId;
    outsider =
      info === undefined ||
      (home !== teamId && !info.enterpriseTeamIds?.includes(teamId)) ||
      info.isRestricted ||
      info.isUltraRestricted ||
      info.isStranger;
  } catch (error) {
    deps.logger.warn(
      { err: error, teamId, userId },
      "users.info failed: recalling from this conversation only",
    );
    return { memberOf: [] };
  }
  if (!outsider) return {};
  try {
    return { memberOf: await deps.slack.userConversations(teamId, userId) };
  } catch (error) {
    deps.logger.warn(
      { err: error, teamId, userId },
      "users.conversations failed for a guest or outside user: recalling from this conversation only",
    );
    return { memberOf: [] };
  }
}
