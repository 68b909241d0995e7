import type { Ports } from "../../ports";
import type { AdminDeps } from "../admin";
import type { ForgetDeps } from "../forget";
import type { MoodCommandDeps } from "../personality";
import type { RememberDeps } from "../profiles";
import type { SummariesDeps } from "../summaries";

/**
 * What the App Home and `/pup remember` read: the viewer's facts, their stored messages, the
 * mood changes those caused, and whether the workspace is installed (nothing is shown after an
 * uninstall).
 */
export type HomeDeps = RememberDeps &
  Pick<Ports, "messages" | "moods" | "cache" | "workspaceLifecycle" | "logger">;

/**
 * Commands answer through Slack, once per invocation (claimed in the bot reply log); the
 * subcommands they route to add their own needs, and the forget buttons forget (ADR-034).
 */
export type CommandsDeps = MoodCommandDeps &
  AdminDeps &
  RememberDeps &
  SummariesDeps &
  ForgetDeps &
  HomeDeps &
  Pick<Ports, "slack" | "logger" | "botReplies">;
