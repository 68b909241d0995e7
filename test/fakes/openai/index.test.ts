// The fake's public face through the real `openai` SDK: authentication, model listing, the
// request log, reset and shutdown.

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { type FakeOpenAI, startFakeOpenAI } from "./index";

const fake: FakeOpenAI = await startFakeOpenAI({ models: ["chat-a", "embed-b"] });
const client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe("authentication", () => {
  test("a wrong key is a 401 AuthenticationError with code invalid_api_key", async () => {
    const intruder = new OpenAI({ baseURL: fake.url, apiKey: "sk-wrong", maxRetries: 0 });
    const error = await intruder.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const auth = error as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(auth.status).toBe(401);
    expect(auth.code).toBe("invalid_api_key");
    expect(auth.type).toBe("invalid_request_error");
  });

  test("a missing key is refused too", async () => {
    const response = await fetch(`${fake.url}/models`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_api_key");
    expect(body.error.message).toContain("didn't provide an API key");
  });

  test("the key is chosen at random unless configured", async () => {
    const other = await startFakeOpenAI();
    const fixed = await startFakeOpenAI({ apiKey: "sk-fixed" });
    try {
      expect(other.apiKey).toStartWith("sk-fake-");
      expect(other.apiKey).not.toBe(fake.apiKey);
      expect(fixed.apiKey).toBe("sk-fixed");
    } finally {
      await Promise.all([other.stop(), fixed.stop()]);
    }
  });
});

describe("models", () => {
  test("lists and retrieves the configured models", async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(["chat-a", "embed-b"]);
    expect((await client.models.retrieve("embed-b")).id).toBe("embed-b");
    const missing = await client.models.retrieve("nope").catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });

  test("an unknown path is a 404 in OpenAI's shape", async () => {
    const response = await fetch(`${fake.url}/assistants`, {
      headers: { authorization: `Bearer ${fake.apiKey}` },
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      "Invalid URL (GET /v1/assistants)",
    );
  });
});

describe("request log", () => {
  test("records path, headers without the key, parsed body, time and status", async () => {
    const before = Date.now();
    await client.chat.completions.create({
      model: "chat-a",
      messages: [{ role: "user", content: "logged" }],
      temperature: 0.2,
    });
    await client.embeddings.create({ model: "embed-b", input: ["a", "b"], dimensions: 4 });
    await new OpenAI({ baseURL: fake.url, apiKey: "sk-wrong", maxRetries: 0 }).models
      .list()
      .catch(() => undefined);

    expect(fake.requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ["POST", "/v1/chat/completions", 200],
      ["POST", "/v1/embeddings", 200],
      ["GET", "/v1/models", 401],
    ]);
    const [chat] = fake.chatRequests();
    expect(chat?.body.messages).toEqual([{ role: "user", content: "logged" }]);
    expect(chat?.body.temperature).toBe(0.2);
    expect(chat?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(chat?.headers["content-type"]).toContain("application/json");
    expect(fake.embeddingRequests()[0]?.body.dimensions).toBe(4);
    for (const entry of fake.requests) {
      expect(entry.headers.authorization).toBeUndefined();
      expect(JSON.stringify(entry)).not.toContain(fake.apiKey);
      expect(JSON.stringify(entry)).not.toContain("sk-wrong");
    }
  });

  test("reset forgets requests, replies and faults", async () => {
    fake.queueReply("scripted");
    fake.injectFault("chat", { kind: "http-error" }, { times: 5 });
    await client.models.list();
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect(fake.pendingFaults()).toBe(0);
    const completion = await client.chat.completions.create({
      model: "chat-a",
      messages: [{ role: "user", content: "fresh" }],
    });
    expect(completion.choices[0]?.message.content).toBe("echo: fresh");
  });
});

describe("lifecycle", () => {
  test("listens on loopback only and stops with await using", async () => {
    let url = "";
    {
      await using scoped = await startFakeOpenAI();
      url = scoped.url;
      expect(new URL(url).hostname).toBe("127.0.0.1");
      expect(new URL(url).pathname).toBe("/v1");
      expect((await fetch(`${url}/models`)).status).toBe(401);
    }
    await expect(fetch(`${url}/models`)).rejects.toThrow();
  });
});
