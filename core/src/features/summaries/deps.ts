import type { Ports } from "../../ports";
import type { LimitsDeps } from "../limits";

/**
 * Summaries read the messages a summary may draw on and store what the model wrote (derived
 * memory), ask the model, queue and schedule their jobs, name people and places (directory),
 * answer through Slack and count the model's tokens against the asker's budget (limits).
 */
export type SummariesDeps = LimitsDeps &
  Pick<
    Ports,
    | "derived"
    | "model"
    | "queue"
    | "directory"
    | "slack"
    | "botReplies"
    | "workspaceSettings"
    | "logger"
    | "now"
  >;
