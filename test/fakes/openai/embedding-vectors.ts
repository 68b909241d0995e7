// Deterministic stand-in embeddings. Each lowercased word gets a pseudo-random direction seeded
// by a hash of the word; a text's vector is the normalised sum of its words' directions. So the
// same text always gives the same vector, and texts that share words point in similar
// directions, which keeps retrieval tests meaningful without a model. Because each word's
// sequence is generated from its first coordinate onwards, a vector asked with fewer
// `dimensions` is the longer one truncated and renormalised, as with OpenAI's v3 models.

import { wordsOf } from "./tokens";

/** FNV-1a, 32 bits: a small, stable string hash to seed the generator. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Mulberry32: a tiny seeded generator of uniform numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The unit-length vector the fake server returns for `text`, already rounded to float32 so the
 * `float` and `base64` encodings carry exactly the same numbers. Text without any word (only
 * punctuation) is hashed whole.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const words = wordsOf(text);
  const features = words.length > 0 ? words : [text];
  const sum = new Float64Array(dimensions);
  for (const feature of features) {
    const random = seededRandom(hashText(feature));
    for (let i = 0; i < dimensions; i += 1) sum[i] = (sum[i] ?? 0) + random() * 2 - 1;
  }
  let norm = 0;
  for (const value of sum) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return Array.from(sum, (value) => Math.fround(value / norm));
}

/** Base64 of the vector as little-endian float32, the wire format of `encoding_format: base64`. */
export function encodeFloat32Base64(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => {
    view.setFloat32(index * 4, value, true);
  });
  return Buffer.from(view.buffer).toString("base64");
}

/** Cosine similarity of two vectors of equal length (exported for tests that rank results). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  a.forEach((value, index) => {
    const other = b[index] ?? 0;
    dot += value * other;
    normA += value * value;
    normB += other * other;
  });
  return dot / (Math.sqrt(normA) * Math.sqrt(normB) || 1);
}
