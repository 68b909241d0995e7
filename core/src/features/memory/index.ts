// The memory feature: what pup remembers and recalls. Short-term memory and this process's
// working memory for the live conversation, embeddings (the `embedding` queue), hybrid recall
// over the long-term store, and the memory lines the prompt quotes.

export { type Asker, type Audience, recallAudience } from "./audience";
export type { MemoryDeps, RecallDeps, ShortTermDeps } from "./deps";
export { cachedDerivedMemory } from "./derived-cache";
export { createEmbedBatcher, type EmbedBatcher } from "./embed-batcher";
export {
  type EmbedMessageJob,
  embeddingJob,
  embeddingQueue,
  enqueueEmbedding,
  runEmbeddingJob,
} from "./embedding-job";
export {
  formatMemoryLine,
  formatSpeakerTurn,
  type MemoryLine,
  type MemoryLineInput,
  parseMemoryLines,
  parseSpeakerTurn,
  quoteData,
  unquoteData,
} from "./memory-line";
export {
  AROUND,
  LEXICAL_CANDIDATES,
  placeName,
  type RecalledMemory,
  type RecallRequest,
  recallMemories,
  recallMessages,
  speakerNames,
} from "./recall";
export {
  liveConversation,
  rememberShortTerm,
  shortTermDeleted,
  shortTermEdited,
} from "./short-term";
export {
  recallSummaryLines,
  SUMMARY_LINES,
  SUMMARY_SPEAKER,
  type SummaryMemoryLine,
} from "./summary-recall";
export { createWorkingMemory, type WorkingMemory } from "./working-memory";
