import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import {
  cosineSimilarity,
  type FakeOpenAI,
  fakeEmbedding,
  startFakeOpenAI,
} from "../../../../test/fakes/openai";
import type { ModelUnavailableError } from "../../ports/language-model";
import { createOpenAiEmbedder, EmbeddingShapeError } from "./embedder";

const fake: FakeOpenAI = await startFakeOpenAI({ embeddingDimensions: 64 });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function embedder(overrides: Partial<Parameters<typeof createOpenAiEmbedder>[0]> = {}) {
  return createOpenAiEmbedder({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    model: "text-embedding-3-small",
    dimensions: 32,
    ...overrides,
  });
}

describe("createOpenAiEmbedder", () => {
  test("250 inputs go out in 3 requests of at most 96 and come back in order", async () => {
    const texts = Array.from({ length: 250 }, (_, i) => `message number ${i} about topic ${i % 7}`);
    const vectors = await embedder().embed(texts);

    const requests = fake.embeddingRequests();
    expect(requests.map((request) => (request.body.input as string[]).length)).toEqual([
      96, 96, 58,
    ]);
    expect(requests.every((request) => request.body.dimensions === 32)).toBe(true);
    expect(requests.flatMap((request) => request.body.input as string[])).toEqual(texts);
    expect(vectors).toHaveLength(250);
    for (const [i, text] of texts.entries()) {
      const expected = fakeEmbedding(text, 32);
      expect(vectors[i]?.length).toBe(32);
      // base64 float32 on the wire: equal to float32 precision.
      expect(cosineSimilarity(vectors[i] ?? [], expected)).toBeCloseTo(1, 5);
    }
  });

  test("no inputs, no request", async () => {
    expect(await embedder().embed([])).toEqual([]);
    expect(fake.embeddingRequests()).toHaveLength(0);
  });

  test("a model that ignores dimensions fails with a clear message", async () => {
    // Not sending `dimensions`, the fake answers with its default 64-dimensional vectors.
    const error = await embedder({ sendDimensions: false })
      .embed(["hello"])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmbeddingShapeError);
    expect((error as Error).message).toContain("returned 64-dimensional vectors");
    expect((error as Error).message).toContain("EMBEDDING_DIMENSIONS=64");
    expect(fake.embeddingRequests()[0]?.body.dimensions).toBeUndefined();
  });

  test("ada-002 is not asked for dimensions", async () => {
    await embedder({ model: "text-embedding-ada-002", dimensions: 64 }).embed(["hello"]);
    expect(fake.embeddingRequests()[0]?.body.dimensions).toBeUndefined();
  });

  test("blank input is refused before any request", async () => {
    await expect(embedder().embed(["ok", "  "])).rejects.toThrow("cannot embed input 1");
    expect(fake.embeddingRequests()).toHaveLength(0);
  });

  test("a 429 is retried; persistent 500s become server_error", async () => {
    fake.injectFault("embeddings", { kind: "rate-limit", retryAfterMs: 5 });
    expect(await embedder().embed(["after a pause"])).toHaveLength(1);
    expect(fake.embeddingRequests().map((request) => request.status)).toEqual([429, 200]);

    fake.reset();
    fake.injectFault("embeddings", { kind: "http-error", status: 503 }, { times: Infinity });
    const error = await embedder({ maxRetries: 1 })
      .embed(["down"])
      .catch((caught: unknown) => caught);
    expect((error as ModelUnavailableError).reason).toBe("server_error");
    expect(fake.embeddingRequests()).toHaveLength(2);
  });

  test("a hang times out", async () => {
    fake.injectFault("embeddings", { kind: "latency", ms: 5_000 });
    const started = performance.now();
    const error = await embedder({ timeoutMs: 200, maxRetries: 0 })
      .embed(["slow"])
      .catch((caught: unknown) => caught);
    expect((error as ModelUnavailableError).reason).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
