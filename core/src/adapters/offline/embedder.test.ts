import { describe, expect, test } from "bun:test";
import { createOfflineEmbedder, OFFLINE_EMBEDDING_MODEL, offlineEmbedding } from "./embedder";

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
}

describe("createOfflineEmbedder", () => {
  test("deterministic, L2-normalised, of the configured size", async () => {
    const embedder = createOfflineEmbedder(256);
    expect(embedder.model).toBe(OFFLINE_EMBEDDING_MODEL);
    expect(embedder.dimensions).toBe(256);
    const [a, b] = await embedder.embed(["My cat is called Miso", "My cat is called Miso"]);
    expect(a).toHaveLength(256);
    expect(a).toEqual(b ?? []);
    expect(Math.hypot(...(a ?? []))).toBeCloseTo(1, 10);
    // Fixed across runs and machines: a stored vector stays comparable.
    expect(offlineEmbedding("My cat is called Miso", 256)).toEqual(a ?? []);
  });

  test("case, punctuation and stop words do not matter", () => {
    expect(offlineEmbedding("CAT called Miso!!", 128)).toEqual(
      offlineEmbedding("the cat is called miso", 128),
    );
  });

  test("texts sharing words rank closest", () => {
    const query = offlineEmbedding("what is my cat called?", 512);
    const documents = [
      "the deploy failed on friday night",
      "my cat is called Miso",
      "lunch at the new ramen place",
      "cats are better than dogs",
    ];
    const ranked = documents
      .map((text) => ({ text, score: cosine(query, offlineEmbedding(text, 512)) }))
      .sort((a, b) => b.score - a.score)
      .map(({ text }) => text);
    expect(ranked[0]).toBe("my cat is called Miso");
    expect(ranked[1]).toBe("cats are better than dogs");
  });

  test("trigrams bring related word forms closer than unrelated words", () => {
    const deploy = offlineEmbedding("deployment", 512);
    expect(cosine(deploy, offlineEmbedding("deploying", 512))).toBeGreaterThan(
      cosine(deploy, offlineEmbedding("lunch", 512)) + 0.2,
    );
  });

  test("stop-word-only and empty texts still give unit vectors", () => {
    for (const text of ["are you there?", "", "🙂"]) {
      expect(Math.hypot(...offlineEmbedding(text, 64))).toBeCloseTo(1, 10);
    }
  });

  test("rejects a nonsensical size", () => {
    expect(() => createOfflineEmbedder(0)).toThrow("dimensions");
  });
});
