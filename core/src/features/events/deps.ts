import type { Ports } from "../../ports";
import type { DirectoryDeps } from "../directory";
import type { LimitsDeps } from "../limits";
import type { ReplyDeps } from "../reply";

/** Events store messages (and queue their embeddings), answer some, and touch Slack surfaces. */
export type EventsDeps = ReplyDeps &
  DirectoryDeps &
  LimitsDeps &
  Pick<Ports, "queue" | "cache" | "embedder">;
