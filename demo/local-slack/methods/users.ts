/** auth.test and users.info: who the caller is, and who anyone else is. */
import { requiredString } from "../method-args";
import type { MethodContext, MethodTable } from "../slack-api";

function authTest({ workspace, caller }: MethodContext) {
  const { teamId, teamName, domain } = workspace.identity;
  const user = workspace.user(caller.userId);
  return {
    url: `https://${domain}.slack.com/`,
    team: teamName,
    user: user.name,
    team_id: teamId,
    user_id: caller.userId,
    ...(caller.botId ? { bot_id: caller.botId } : {}),
    is_enterprise_install: false,
  };
}

function usersInfo({ workspace, args }: MethodContext) {
  return { user: workspace.user(requiredString(args, "user", "user_not_found")) };
}

/** auth.test and users.info. */
export const userMethods: MethodTable = {
  "auth.test": authTest,
  "users.info": usersInfo,
};
