// The profiles feature: each person's profile (facts, interests, how they like answers) kept from
// their own messages with provenance and history, the `profile` queue, and `/pup remember`.

export {
  DEFAULT_PROFILE_SETTINGS,
  type ProfileEnqueueDeps,
  type ProfileJobDeps,
  type ProfileSettings,
  type RememberDeps,
} from "./deps";
export { isEcho, pupSaid } from "./echo";
export { EXTRACTION_RULES, extractionPrompt, parseExtraction } from "./extract-model";
export { extractStatedFacts, type StatedFact, subjectSlug, withoutQuotes } from "./extract-offline";
export {
  enqueueProfileUpdate,
  PROFILE_BATCH,
  type ProfileJob,
  type ProfileRun,
  profileJob,
  profileQueue,
  runProfileJob,
} from "./profile-job";
export { rememberAnswer } from "./remember-command";
export { sameFact } from "./same-fact";
