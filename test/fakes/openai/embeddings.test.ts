// Embeddings through the real `openai` SDK: base64 (the SDK default) and float encodings agree,
// vectors are deterministic unit vectors of the asked size, batches keep their order, and texts
// sharing words are closer than unrelated ones.

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import {
  cosineSimilarity,
  countTokens,
  type FakeOpenAI,
  fakeEmbedding,
  startFakeOpenAI,
} from "./index";

const fake: FakeOpenAI = await startFakeOpenAI({ embeddingDimensions: 64 });
const client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const model = "text-embedding-3-small";
const norm = (vector: number[]) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

async function embed(input: string | string[], extra: Partial<OpenAI.EmbeddingCreateParams> = {}) {
  return client.embeddings.create({ model, input, ...extra });
}

describe("encodings", () => {
  test("the SDK asks for base64 by default and gets the same numbers as float", async () => {
    const viaBase64 = await embed("the quick brown fox");
    const viaFloat = await embed("the quick brown fox", { encoding_format: "float" });
    expect(fake.embeddingRequests().map((entry) => entry.body.encoding_format)).toEqual([
      "base64",
      "float",
    ]);
    expect(viaBase64.data[0]?.embedding).toEqual(viaFloat.data[0]?.embedding as number[]);
    expect(viaFloat.data[0]?.embedding).toEqual(fakeEmbedding("the quick brown fox", 64));
  });

  test("explicit base64 comes back as a little-endian float32 string", async () => {
    const response = await client.embeddings.create({
      model,
      input: "hi",
      encoding_format: "base64",
    });
    const encoded = response.data[0]?.embedding as unknown as string;
    expect(typeof encoded).toBe("string");
    const bytes = Buffer.from(encoded, "base64");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) =>
      view.getFloat32(i * 4, true),
    );
    expect(decoded).toEqual(fakeEmbedding("hi", 64));
  });
});

describe("vectors", () => {
  test("unit length, configured default size, usage counted", async () => {
    const response = await embed("Hello, world!");
    const vector = response.data[0]?.embedding ?? [];
    expect(vector).toHaveLength(64);
    expect(norm(vector)).toBeCloseTo(1, 5);
    expect(response.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(response.model).toBe(model);
  });

  test("dimensions is honoured, and a shorter vector is the longer one truncated", async () => {
    const short = (await embed("memory test", { dimensions: 8 })).data[0]?.embedding ?? [];
    const long = (await embed("memory test", { dimensions: 256 })).data[0]?.embedding ?? [];
    expect(short).toHaveLength(8);
    expect(long).toHaveLength(256);
    expect(cosineSimilarity(short, long.slice(0, 8))).toBeCloseTo(1, 5);
  });

  test("deterministic across calls and servers", async () => {
    const other = await startFakeOpenAI({ embeddingDimensions: 64 });
    try {
      const otherClient = new OpenAI({ baseURL: other.url, apiKey: other.apiKey });
      const first = await embed("same text");
      const second = await embed("same text");
      const elsewhere = await otherClient.embeddings.create({ model, input: "same text" });
      expect(second.data[0]?.embedding).toEqual(first.data[0]?.embedding as number[]);
      expect(elsewhere.data[0]?.embedding).toEqual(first.data[0]?.embedding as number[]);
    } finally {
      await other.stop();
    }
  });

  test("a batch keeps its order and each item matches its single embedding", async () => {
    const inputs = ["alpha", "beta gamma", "delta, epsilon!", "alpha"];
    const batch = await embed(inputs);
    expect(batch.data.map((item) => item.index)).toEqual([0, 1, 2, 3]);
    inputs.forEach((input, index) => {
      expect(batch.data[index]?.embedding).toEqual(fakeEmbedding(input, 64));
    });
    expect(batch.data[0]?.embedding).not.toEqual(batch.data[1]?.embedding as number[]);
    const tokens = inputs.reduce((sum, input) => sum + countTokens(input), 0);
    expect(batch.usage.prompt_tokens).toBe(tokens);
  });

  test("texts sharing words are closer than unrelated texts", async () => {
    const [query, related, unrelated] = (
      await embed(
        ["pizza toppings", "my favourite pizza toppings are olives", "deploy on friday"],
        {
          dimensions: 512,
        },
      )
    ).data.map((item) => item.embedding);
    const near = cosineSimilarity(query ?? [], related ?? []);
    const far = cosineSimilarity(query ?? [], unrelated ?? []);
    expect(near).toBeGreaterThan(far + 0.3);
  });
});

describe("validation", () => {
  const badRequest = async (body: Record<string, unknown>) => {
    const error = await client.embeddings
      .create({ model, input: "x", ...body } as OpenAI.EmbeddingCreateParams)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    return (error as InstanceType<typeof OpenAI.BadRequestError>).message;
  };

  test("token-id input is refused with a clear message", async () => {
    expect(await badRequest({ input: [[1, 2, 3]] })).toContain("Token-id input is not supported");
    expect(await badRequest({ input: [1, 2, 3] })).toContain("Token-id input is not supported");
  });

  test("empty input and bad dimensions or encoding are refused", async () => {
    expect(await badRequest({ input: "" })).toContain("non-empty string");
    expect(await badRequest({ input: [] })).toContain("non-empty");
    expect(await badRequest({ dimensions: 0 })).toContain("dimensions");
    expect(await badRequest({ dimensions: 1.5 })).toContain("dimensions");
    expect(await badRequest({ encoding_format: "int8" })).toContain("encoding_format");
  });
});
