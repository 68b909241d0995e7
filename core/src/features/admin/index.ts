// The admin feature: who is an admin now (Slack's roles read live, roles granted in pup), the
// audit row every admin action leaves, and `/pup role` and `/pup retention`.
export {
  type AdminAction,
  type AdminOutcome,
  type RefusalReason,
  refusalText,
  runAdminAction,
} from "./admin-action";
export type { AdminDeps, AdminInvocation } from "./deps";
export { retentionCommand, retentionDays } from "./retention-command";
export { parseUserMention, roleCommand } from "./role-command";
export {
  type AdminSource,
  adminSource,
  LIVE_ROLE_SECONDS,
  type SlackRole,
  slackRole,
} from "./roles";
