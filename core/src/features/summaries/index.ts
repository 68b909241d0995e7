// The summaries feature: the `summary` queue (an hourly sync of each workspace's daily schedule,
// the daily plan, one summary per active conversation), `/pup summary`, the assistant's "catch me
// up", regeneration when a source message goes, and the prompt the offline responder reads back.

export type { SummariesDeps } from "./deps";
export {
  EXTRACTIVE_LINES,
  extractiveSummary,
  informativeness,
  type SummaryTurn,
} from "./extractive";
export { DAY_MS, SUMMARY_SOURCE_LIMIT, type WrittenSummary, writeSummary } from "./summarize";
export {
  type CatchMeUpRequest,
  catchMeUp,
  isCatchMeUp,
  NOTHING_TO_SUMMARISE,
  summaryCommand,
} from "./summary-command";
export {
  planSummaries,
  regenerateSummariesCiting,
  rewriteSummaries,
  runSummaryJob,
  type SummaryJob,
  SYNC_EVERY_MS,
  scheduleWorkspace,
  startSummarySchedules,
  summarizePeriod,
  summaryJob,
  summaryQueue,
  syncSchedules,
} from "./summary-job";
export {
  buildSummaryPrompt,
  isSummaryPrompt,
  offlineSummaryAnswer,
  type PromptTurn,
  SUMMARY_PROMPT_MARKER,
} from "./summary-prompt";
