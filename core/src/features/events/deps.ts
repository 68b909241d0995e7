import type { Ports } from "../../ports";
import type { DirectoryDeps } from "../directory";
import type { ForgetDeps } from "../forget";
import type { LimitsDeps } from "../limits";
import type { ProfileEnqueueDeps } from "../profiles";
import type { ReplyDeps } from "../reply";
import type { SummariesDeps } from "../summaries";

/**
 * Events store messages (and queue their embeddings), answer some, and touch Slack surfaces; a
 * deletion in Slack and an uninstall forget what they concern (ADR-034).
 */
export type EventsDeps = ReplyDeps &
  DirectoryDeps &
  ForgetDeps &
  LimitsDeps &
  ProfileEnqueueDeps &
  SummariesDeps &
  Pick<Ports, "queue" | "cache" | "embedder" | "profiles">;
