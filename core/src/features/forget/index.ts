// The forget feature (ADR-034): "forget me", forgetting one message, the redaction a Slack
// deletion brings, and uninstalls (stop answering at once, purge after a grace period). Each
// purge removes a person's, a message's or a workspace's data from every store.
export { clearCopies, teamCacheEntries, userCacheKeys } from "./copies";
export {
  DEFAULT_SWEEP_DELAY_MS,
  DEFAULT_UNINSTALL_GRACE_MS,
  type ForgetDeps,
} from "./deps";
export {
  FORGET_MESSAGE_ACTION,
  type ForgetMessageOutcome,
  forgetDeletedMessage,
  forgetMessage,
  SLACK_DELETED_ACTION,
  sweepMessage,
} from "./forget-message";
export {
  FORGET_ME_ACTION,
  FORGET_ME_SWEEP_ACTION,
  type ForgetReport,
  type ForgetUserRequest,
  forgetUser,
  sweepUser,
} from "./forget-user";
export { authoredBy, jobOfMessage, jobOfTeam, jobOfUser } from "./job-data";
export {
  isInstalled,
  onReinstalled,
  onUninstalled,
  purgeDueWorkspaces,
  purgeWorkspace,
  REINSTALLED_ACTION,
  UNINSTALLED_ACTION,
  WORKSPACE_STATE_TTL_S,
} from "./lifecycle";
export {
  enqueuePrivacyJob,
  PRIVACY_SCHEDULER_ID,
  type PrivacyJob,
  privacyJob,
  schedulePurgeCheck,
} from "./privacy-contract";
export { privacyQueue } from "./privacy-job";
