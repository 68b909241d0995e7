import type { Ports } from "../../ports";
import type { AdminDeps } from "../admin";
import type { MoodCommandDeps } from "../personality";
import type { RememberDeps } from "../profiles";
import type { SummariesDeps } from "../summaries";

/**
 * Commands answer through Slack, once per invocation (claimed in the bot reply log); the
 * subcommands they route to add their own needs.
 */
export type CommandsDeps = MoodCommandDeps &
  AdminDeps &
  RememberDeps &
  SummariesDeps &
  Pick<Ports, "slack" | "logger" | "botReplies">;
