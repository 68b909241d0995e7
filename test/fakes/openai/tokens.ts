// Token counting for `usage` fields. Real models use BPE tokenizers; the fake approximates a token
// as one run of letters/digits/underscores or one other non-space character, so "Hello, world!"
// is 4 tokens. Deterministic and close enough in size for budget and accounting tests.

const TOKEN_PATTERN = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu;

/** Approximate token count of `text` (words and punctuation marks). */
export function countTokens(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(TOKEN_PATTERN)) count += 1;
  return count;
}

/** The longest prefix of `text` holding at most `maxTokens` tokens, for `max_tokens` limits. */
export function truncateToTokens(text: string, maxTokens: number): string {
  let seen = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    seen += 1;
    if (seen === maxTokens) return text.slice(0, match.index + match[0].length);
  }
  return maxTokens <= 0 ? "" : text;
}

/** Lowercased words of `text`, punctuation dropped; the features embeddings are built from. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** Splits `text` into stream pieces (a word with its trailing spaces) that concatenate back to it. */
export function streamPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
