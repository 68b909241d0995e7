// Chat completions through the real `openai` SDK: plain and streamed answers, usage accounting,
// scripted replies, responder functions and OpenAI-shaped validation errors.

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { countTokens, type FakeOpenAI, startFakeOpenAI } from "./index";

const fake: FakeOpenAI = await startFakeOpenAI();
const client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: "system", content: "You are pup." },
  { role: "user", content: "What is the capital of France?" },
];

describe("plain completions", () => {
  test("echo the last user message by default, with usage", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
    const reply = "echo: What is the capital of France?";
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4o-mini");
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: reply });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    // 3 framing tokens per message + 3 priming tokens, plus the words and punctuation.
    const prompt =
      3 + countTokens("You are pup.") + 3 + countTokens(messages[1]?.content as string) + 3;
    expect(completion.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: countTokens(reply),
      total_tokens: prompt + countTokens(reply),
    });
  });

  test("text content parts count as the message text", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: [{ type: "text", text: "parts work" }] }],
    });
    expect(completion.choices[0]?.message.content).toBe("echo: parts work");
  });

  test("max_completion_tokens truncates and reports finish_reason length", async () => {
    fake.queueReply("one two three four five");
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      max_completion_tokens: 2,
    });
    expect(completion.choices[0]?.message.content).toBe("one two");
    expect(completion.choices[0]?.finish_reason).toBe("length");
    expect(completion.usage?.completion_tokens).toBe(2);
  });
});

describe("streamed completions", () => {
  test("role delta, content deltas, finish chunk, usage chunk", async () => {
    fake.queueReply("Paris is the capital.");
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Paris is the capital.");
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(1);
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(countTokens("Paris is the capital."));
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  test("no usage chunk unless asked", async () => {
    const stream = await client.chat.completions.create({ model: "m", messages, stream: true });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  test("the SDK's stream helper assembles the final message", async () => {
    fake.queueReply("streamed and assembled");
    const runner = client.chat.completions.stream({ model: "gpt-4o-mini", messages });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("streamed and assembled");
  });
});

describe("scripted replies and responders", () => {
  test("queued replies come in order, then the default again", async () => {
    fake.queueReply("first", "second");
    const ask = async () =>
      (await client.chat.completions.create({ model: "m", messages })).choices[0]?.message.content;
    expect(await ask()).toBe("first");
    expect(await ask()).toBe("second");
    expect(await ask()).toBe("echo: What is the capital of France?");
  });

  test("a responder function sees the request", async () => {
    fake.setResponder((request) => `model=${request.model} messages=${request.messages.length}`);
    const completion = await client.chat.completions.create({ model: "gpt-x", messages });
    expect(completion.choices[0]?.message.content).toBe("model=gpt-x messages=2");
  });

  test("reset restores the default responder", async () => {
    fake.setResponder(() => "custom");
    fake.reset();
    const completion = await client.chat.completions.create({ model: "m", messages });
    expect(completion.choices[0]?.message.content).toStartWith("echo: ");
  });
});

describe("validation", () => {
  test("empty messages is a 400 in OpenAI's shape", async () => {
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("messages");
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).type).toBe(
      "invalid_request_error",
    );
  });

  test("an unknown role is named in the error", async () => {
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "robot", content: "hi" }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; param: string } };
    expect(body.error.param).toBe("messages[0].role");
  });

  test("a body that is not JSON is a 400", async () => {
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
  });
});
