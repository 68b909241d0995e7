import type { Ports } from "../../ports";
import type { DerivedMemory } from "../../ports/derived-memory";
import type { WorkingMemory } from "./working-memory";

/** Short-term memory in front of the message store, and this process's working memory. */
export type ShortTermDeps = Pick<Ports, "shortTerm" | "messages" | "logger" | "now"> & {
  /** Absent: every read asks short-term memory (an in-process short-term memory needs none). */
  workingMemory?: WorkingMemory;
};

/** Recall over the message store, attributed with the directory's names and Slack's links. */
export type RecallDeps = Pick<
  Ports,
  "messages" | "embedder" | "directory" | "logger" | "now" | "slack"
> & {
  reply: { /** Memories recall offers at most. */ recallLimit: number };
  /** Stored summaries offered beside messages (summary-recall.ts); absent: messages only. */
  derived?: Pick<DerivedMemory, "recallSummaries">;
};

export type MemoryDeps = ShortTermDeps & RecallDeps;
