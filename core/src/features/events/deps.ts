import type { Ports } from "../../ports";
import type { DirectoryDeps } from "../directory";
import type { LimitsDeps } from "../limits";
import type { ProfileEnqueueDeps } from "../profiles";
import type { ReplyDeps } from "../reply";
import type { SummariesDeps } from "../summaries";

/** Events store messages (and queue their embeddings), answer some, and touch Slack surfaces. */
export type EventsDeps = ReplyDeps &
  DirectoryDeps &
  LimitsDeps &
  ProfileEnqueueDeps &
  SummariesDeps &
  Pick<Ports, "queue" | "cache" | "embedder" | "profiles">;
