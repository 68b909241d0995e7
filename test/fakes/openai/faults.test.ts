// Injected faults as the real `openai` SDK experiences them: 429 with retry hints (retried, then
// successful), 5xx, latency past the client's timeout, and streams or bodies cut off mid-way.

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { type FakeOpenAI, startFakeOpenAI } from "./index";

const fake: FakeOpenAI = await startFakeOpenAI({ embeddingDimensions: 16 });
const clientWith = (options: { maxRetries?: number; timeout?: number } = {}) =>
  new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0, ...options });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const ask = (client: OpenAI) =>
  client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });

describe("rate limits", () => {
  test("429 with retry-after-ms is retried by the SDK, then succeeds", async () => {
    fake.injectFault("chat", { kind: "rate-limit", retryAfterMs: 15 }, { times: 2 });
    const started = performance.now();
    const completion = await ask(clientWith({ maxRetries: 3 }));
    expect(completion.choices[0]?.message.content).toBe("echo: hi");
    expect(fake.chatRequests().map((entry) => entry.status)).toEqual([429, 429, 200]);
    // The SDK waited the hinted 15 ms twice, not its default half-second backoff.
    expect(performance.now() - started).toBeLessThan(400);
    expect(fake.pendingFaults()).toBe(0);
  });

  test("429 without retries surfaces RateLimitError with both headers", async () => {
    fake.injectFault("embeddings", { kind: "rate-limit", retryAfterMs: 2500 });
    const error = await clientWith()
      .embeddings.create({ model: "e", input: "x" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.headers.get("retry-after-ms")).toBe("2500");
    expect(rateLimit.headers.get("retry-after")).toBe("3");
    expect(rateLimit.code).toBe("rate_limit_exceeded");
  });
});

describe("server errors", () => {
  test("500 becomes InternalServerError when retries are off", async () => {
    fake.injectFault("chat", { kind: "http-error", status: 500 });
    const error = await ask(clientWith()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(500);
    // Used up: the next request is answered normally.
    expect((await ask(clientWith())).choices[0]?.message.content).toBe("echo: hi");
  });

  test("faults queue in order and only hit their endpoint", async () => {
    fake.injectFault("chat", { kind: "http-error", status: 503 });
    fake.injectFault("chat", { kind: "http-error", status: 500 });
    await clientWith().embeddings.create({ model: "e", input: "unaffected" });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await ask(clientWith()).then(
        () => statuses.push(200),
        (error: InstanceType<typeof OpenAI.APIError>) => statuses.push(error.status ?? 0),
      );
    }
    expect(statuses).toEqual([503, 500, 200]);
  });
});

describe("latency", () => {
  test("a delay past the SDK timeout gives APIConnectionTimeoutError", async () => {
    fake.injectFault("chat", { kind: "latency", ms: 1000 });
    const started = performance.now();
    const error = await ask(clientWith({ timeout: 100 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(performance.now() - started).toBeLessThan(900);
  });

  test("a delay under the timeout only slows the answer", async () => {
    fake.injectFault("any", { kind: "latency", ms: 80 });
    const started = performance.now();
    await clientWith().models.list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(fake.requests[0]?.faults).toEqual(["latency"]);
  });
});

describe("broken responses", () => {
  test("a stream cut after two chunks fails the consumer after those chunks", async () => {
    fake.queueReply("this reply will never finish arriving");
    fake.injectFault("chat", { kind: "broken-stream", afterChunks: 2 });
    const stream = await clientWith().chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const received: string[] = [];
    let failure: unknown;
    try {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    expect(received).toEqual(["", "this "]);
  });

  test("a plain answer cut mid-body is an error, not a partial result", async () => {
    fake.injectFault("embeddings", { kind: "broken-stream" });
    const error = await clientWith()
      .embeddings.create({ model: "e", input: "x" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
  });
});
