/**
 * How close two questions are: the overlap of their content words (forgiving one typo in longer
 * words) and the cosine similarity of their embeddings.
 */

/**
 * The overlap coefficient |A ∩ B| / min(|A|, |B|) of two content-word sets, where words of five
 * letters or more also match with one typo. Chosen over Jaccard because a re-ask often adds a
 * word ("for home", "on my account") and still asks the same, while a different question on
 * the same topic swaps one ("berlin" for "london"), which this punishes just as hard.
 * Zero when either set is empty: nothing to compare.
 */
export function wordOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) {
    if (large.has(word)) shared += 1;
    else if (word.length >= 5 && [...large].some((other) => withinOneEdit(word, other))) {
      shared += 1;
    }
  }
  return shared / small.size;
}

/** True when `a` becomes `b` by at most one inserted, deleted or replaced letter. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (a.length >= b.length) i += 1;
    if (b.length >= a.length) j += 1;
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Cosine similarity, or null when a vector is missing, empty, all zero or of another size. */
export function cosineSimilarity(
  a: readonly number[] | null,
  b: readonly number[] | null,
): number | null {
  if (!a || !b || a.length === 0 || a.length !== b.length) return null;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return null;
  return dot / Math.sqrt(normA * normB);
}
