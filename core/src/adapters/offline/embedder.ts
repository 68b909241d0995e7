// The offline embedder: vectors from hashed words and character trigrams, no model, no network.
import type { Embedder } from "../../ports/language-model";
import { contentWords, wordsOf } from "./text-features";

/** Reported as the embedding model, so vectors from another embedder are never mixed in. */
export const OFFLINE_EMBEDDING_MODEL = "pup-offline-hash-v1";

/** A whole word counts this much; each of its trigrams counts TRIGRAM_WEIGHT. */
const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.35;

/**
 * A deterministic local {@link Embedder} for the demo and offline mode: the "hashing trick" over
 * a bag of lowercased words (stop words dropped, plurals folded) plus the character trigrams of
 * each word, with signed hashes, L2-normalised. Texts sharing words (or word stems, through the
 * trigrams) get a higher cosine similarity; same text, same vector, on every machine.
 *
 * Limits: it knows no synonyms or meaning ("feline" is not near "cat"), and hash collisions add
 * a little noise, more so at small `dimensions`. A text with no words at all maps to a fixed
 * unit vector (never a zero vector, which cosine distance cannot handle).
 */
export function createOfflineEmbedder(dimensions: number): Embedder {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RangeError(`offline embedder dimensions must be an integer >= 1, got ${dimensions}`);
  }
  return {
    model: OFFLINE_EMBEDDING_MODEL,
    dimensions,
    embed: async (texts, signal) => {
      signal?.throwIfAborted();
      return texts.map((text) => offlineEmbedding(text, dimensions));
    },
  };
}

/** The vector {@link createOfflineEmbedder} gives `text`, computed synchronously. */
export function offlineEmbedding(text: string, dimensions: number): number[] {
  const vector = new Float64Array(dimensions);
  let words = contentWords(text);
  // A message made only of stop words ("are you there?") still deserves a meaningful vector.
  if (words.length === 0) words = wordsOf(text);
  for (const word of words) {
    add(vector, featureHash(WORD_FEATURE, word, 0, word.length), WORD_WEIGHT);
    // Trigrams of `^word$`, hashed in place (no substring allocations).
    for (let start = -1; start + 3 <= word.length + 1; start += 1) {
      add(vector, featureHash(TRIGRAM_FEATURE, word, start, start + 3), TRIGRAM_WEIGHT);
    }
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) {
    vector[0] = 1;
    norm = 1;
  }
  const scale = 1 / Math.sqrt(norm);
  const result: number[] = new Array(dimensions);
  for (let i = 0; i < dimensions; i += 1) result[i] = (vector[i] ?? 0) * scale;
  return result;
}

/** Adds ±weight at the feature's hashed slot; the sign comes from another bit of the hash. */
function add(vector: Float64Array, hash: number, weight: number): void {
  const slot = hash % vector.length;
  vector[slot] = (vector[slot] ?? 0) + (hash & 0x80000000 ? -weight : weight);
}

const WORD_FEATURE = 0x77; // "w"
const TRIGRAM_FEATURE = 0x74; // "t"
const START_MARK = 0x5e; // "^"
const END_MARK = 0x24; // "$"

/**
 * 32-bit FNV-1a over a kind byte and the UTF-16 code units `word[start..end)`, where index -1 is
 * a `^` and index `word.length` a `$`: tiny, fast and stable across platforms.
 */
function featureHash(kind: number, word: string, start: number, end: number): number {
  let hash = Math.imul(0x811c9dc5 ^ kind, 0x01000193);
  for (let i = start; i < end; i += 1) {
    const code = i < 0 ? START_MARK : i >= word.length ? END_MARK : word.charCodeAt(i);
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash >>> 0;
}
