import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { countTokens, type FakeOpenAI, startFakeOpenAI } from "../../../../test/fakes/openai";
import { type ChatStream, ModelUnavailableError } from "../../ports/language-model";
import { ChatStreamCancelledError } from "./chat-stream";
import { createOpenAiModel } from "./model";

const fake: FakeOpenAI = await startFakeOpenAI();
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const messages = [
  { role: "system" as const, content: "You are pup." },
  { role: "user" as const, content: "What is my cat called?" },
];

function model(overrides: Partial<Parameters<typeof createOpenAiModel>[0]> = {}) {
  return createOpenAiModel({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    chatModel: "gpt-4o-mini",
    ...overrides,
  });
}

async function failure(stream: ChatStream): Promise<unknown> {
  try {
    for await (const _ of stream) {
      // drain
    }
  } catch (error) {
    return error;
  }
  throw new Error("the stream did not fail");
}

describe("createOpenAiModel", () => {
  test("streams text pieces, then the full text, usage and model", async () => {
    fake.queueReply("Your cat is called Miso, woof!");
    const stream = model().stream({ messages, maxTokens: 50, temperature: 0.7 });
    const pieces: string[] = [];
    for await (const piece of stream) pieces.push(piece);

    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe("Your cat is called Miso, woof!");
    const result = await stream.result();
    expect(result.text).toBe("Your cat is called Miso, woof!");
    expect(result.model).toBe("gpt-4o-mini");
    expect(result.usage).toEqual({
      promptTokens: countTokens("You are pup.") + countTokens("What is my cat called?") + 9,
      completionTokens: countTokens("Your cat is called Miso, woof!"),
    });
    const [sent] = fake.chatRequests();
    expect(sent?.body).toMatchObject({
      model: "gpt-4o-mini",
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      temperature: 0.7,
    });
  });

  test("result() alone consumes the stream", async () => {
    fake.queueReply("Just the result.");
    const result = await model().stream({ messages }).result();
    expect(result.text).toBe("Just the result.");
    expect(fake.chatRequests()).toHaveLength(1);
  });

  test("nothing is requested until the stream is consumed", async () => {
    model().stream({ messages });
    await Bun.sleep(20);
    expect(fake.chatRequests()).toHaveLength(0);
  });

  test("a base URL without a key sends a placeholder key", async () => {
    await using keyless = await startFakeOpenAI({ apiKey: "unused" });
    const result = await createOpenAiModel({ baseUrl: keyless.url, chatModel: "llama3.2" })
      .stream({ messages })
      .result();
    expect(result.text).toBe("echo: What is my cat called?");
    expect(keyless.chatRequests()[0]?.status).toBe(200);
  });

  test("a 429 is retried after the server's hint and then succeeds", async () => {
    fake.injectFault("chat", { kind: "rate-limit", retryAfterMs: 10 });
    fake.queueReply("Back again.");
    const result = await model().stream({ messages }).result();
    expect(result.text).toBe("Back again.");
    expect(fake.chatRequests().map((request) => request.status)).toEqual([429, 200]);
  });

  test("persistent 500s fail with server_error after maxRetries + 1 requests", async () => {
    fake.injectFault("chat", { kind: "http-error", status: 500 }, { times: Infinity });
    // Default maxRetries (2): the SDK's backoff waits about 0.5 s, then 1 s.
    const error = await failure(model().stream({ messages }));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).reason).toBe("server_error");
    expect((error as ModelUnavailableError).message).toContain("HTTP 500");
    expect(fake.chatRequests().map((request) => request.status)).toEqual([500, 500, 500]);
  });

  test("persistent 429s fail with rate_limited after the default 2 retries", async () => {
    fake.injectFault("chat", { kind: "rate-limit", retryAfterMs: 5 }, { times: Infinity });
    const error = await failure(model().stream({ messages }));
    expect((error as ModelUnavailableError).reason).toBe("rate_limited");
    expect(fake.chatRequests()).toHaveLength(3);
  });

  test("a 401 is not retried and maps to bad_response", async () => {
    const error = await failure(model({ apiKey: "sk-wrong" }).stream({ messages }));
    expect((error as ModelUnavailableError).reason).toBe("bad_response");
    expect((error as ModelUnavailableError).message).toContain("HTTP 401");
    expect(fake.chatRequests()).toHaveLength(1);
  });

  test("a server that hangs fails with timeout within timeoutMs", async () => {
    fake.injectFault("chat", { kind: "latency", ms: 5_000 });
    const started = performance.now();
    const error = await failure(model({ timeoutMs: 300, maxRetries: 0 }).stream({ messages }));
    const elapsed = performance.now() - started;
    expect((error as ModelUnavailableError).reason).toBe("timeout");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  test("a timed-out attempt is retried by the SDK", async () => {
    fake.injectFault("chat", { kind: "latency", ms: 5_000 });
    const result = await model({ timeoutMs: 300, maxRetries: 1 }).stream({ messages }).result();
    expect(result.text).toBe("echo: What is my cat called?");
    expect(fake.chatRequests().map((request) => request.faults)).toEqual([["latency"], []]);
  });

  test("a stream that goes silent mid-answer times out", async () => {
    await using slow = await startFakeOpenAI({ streamChunkDelayMs: 2_000 });
    slow.queueReply("one two three four");
    const stream = createOpenAiModel({
      apiKey: slow.apiKey,
      baseUrl: slow.url,
      chatModel: "gpt-4o-mini",
      timeoutMs: 300,
    }).stream({ messages });
    const started = performance.now();
    const error = await failure(stream);
    expect((error as ModelUnavailableError).reason).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(1_500);
    await expect(stream.result()).rejects.toBe(error);
  });

  test("a stream cut off mid-answer fails instead of returning half a reply", async () => {
    fake.injectFault("chat", { kind: "broken-stream", afterChunks: 2 });
    fake.queueReply("this answer will never arrive in full");
    const stream = model().stream({ messages });
    const error = await failure(stream);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).reason).toBe("network");
    // Only one attempt: a stream that already started is not replayed.
    expect(fake.chatRequests()).toHaveLength(1);
  });

  test("an unreachable server maps to network", async () => {
    const dead = await startFakeOpenAI();
    const url = dead.url;
    await dead.stop();
    const error = await failure(
      createOpenAiModel({ baseUrl: url, chatModel: "m", maxRetries: 0 }).stream({ messages }),
    );
    expect((error as ModelUnavailableError).reason).toBe("network");
  });

  test("the caller's signal cancels without a ModelUnavailableError", async () => {
    fake.injectFault("chat", { kind: "latency", ms: 5_000 });
    const controller = new AbortController();
    const stream = model().stream({ messages, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user went away")), 50);
    const error = await failure(stream);
    expect(error).not.toBeInstanceOf(ModelUnavailableError);
    expect((error as Error).message).toBe("user went away");
  });

  test("breaking out of the loop rejects result() as cancelled", async () => {
    fake.queueReply("one two three four five six");
    const stream = model().stream({ messages });
    for await (const _ of stream) break;
    await expect(stream.result()).rejects.toBeInstanceOf(ChatStreamCancelledError);
  });

  test("a stream can be iterated only once", async () => {
    fake.queueReply("once");
    const stream = model().stream({ messages });
    for await (const _ of stream) {
      // drain
    }
    expect(() => stream[Symbol.asyncIterator]()).toThrow("only once");
  });
});
