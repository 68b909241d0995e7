// How replies are written: how much memory and conversation they see, and how long they may take.

export interface ReplySettings {
  /** Recalled long-term memories offered to the prompt (before the token budget). */
  recallLimit: number;
  /** Recent channel or thread messages offered as the live conversation. */
  contextMessages: number;
  /** Tokens of recalled memory in the prompt. */
  memoryTokens: number;
  /** Longest a reply may take to generate before pup gives up on it. */
  generationTimeoutMs: number;
  /** pup apologises for not being able to think at most once per conversation per this long. */
  apologyWindowSeconds: number;
  /** Reply tokens asked of the model. */
  maxReplyTokens: number;
  /** Facts about the author offered to the prompt. */
  authorFacts: number;
}

export const DEFAULT_REPLY_SETTINGS: ReplySettings = {
  recallLimit: 12,
  contextMessages: 20,
  memoryTokens: 2000,
  generationTimeoutMs: 45_000,
  apologyWindowSeconds: 600,
  maxReplyTokens: 600,
  authorFacts: 8,
};
