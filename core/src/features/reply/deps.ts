import type { Ports } from "../../ports";
import type { MemoryDeps } from "../memory";
import type { PersonalityDeps } from "../personality";
import type { ReplySettings } from "./settings";

/** A reply reads memory and mood, asks the model, posts to Slack and records what it sent. */
export type ReplyDeps = MemoryDeps &
  PersonalityDeps &
  Pick<Ports, "botReplies" | "derived" | "cache" | "slack" | "model" | "logger" | "now"> & {
    reply: ReplySettings;
  };
