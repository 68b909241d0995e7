import { describe, expect, test } from "bun:test";
import { formatMemoryLine, formatSpeakerTurn } from "../../domain/memory-line";
import type { ChatMessage } from "../../ports/language-model";
import {
  createOfflineModel,
  OFFLINE_CHAT_MODEL,
  OFFLINE_GREETING_ANSWER,
  OFFLINE_NO_MEMORY_ANSWER,
  offlineAnswer,
} from "./model";

const memories = [
  {
    speaker: "Ana",
    channelName: "design",
    postedAt: new Date("2025-11-03T10:00:00Z"),
    text: "My cat is called Miso",
  },
  {
    speaker: "Bo",
    channelName: "eng",
    postedAt: new Date("2025-11-05T10:00:00Z"),
    text: "the staging deploy is blocked on the migration review",
  },
  {
    speaker: "Ana",
    channelName: null,
    postedAt: new Date("2025-10-30T10:00:00Z"),
    text: "I'm allergic to peanuts",
  },
];

function prompt(question: string): ChatMessage[] {
  return [
    {
      role: "system",
      content: `You are pup, a friendly dog.\nThings you remember:\n${memories.map((m) => formatMemoryLine(m)).join("\n")}`,
    },
    { role: "user", content: formatSpeakerTurn({ speaker: "Ana", text: "hi pup" }) },
    { role: "assistant", content: "Woof, hi!" },
    { role: "user", content: question },
  ];
}

describe("createOfflineModel", () => {
  test("recalls the memory sharing the most words with the question", () => {
    expect(
      offlineAnswer(prompt(formatSpeakerTurn({ speaker: "Ana", text: "what is my cat called?" }))),
    ).toBe("You told me on 3 Nov that my cat is called Miso.");
    expect(offlineAnswer(prompt("Ana: do you know what I'm allergic to?"))).toBe(
      "You told me on 30 Oct that I'm allergic to peanuts.",
    );
  });

  test("names the speaker and the place when someone else said it", () => {
    expect(offlineAnswer(prompt("Cy: why is the staging deploy blocked?"))).toBe(
      "Bo told me on 5 Nov in #eng that the staging deploy is blocked on the migration review.",
    );
    expect(offlineAnswer(prompt("which cats do we know?"))).toBe(
      "Ana told me on 3 Nov in #design that my cat is called Miso.",
    );
  });

  test("answers from an earlier turn of the conversation (a thread's own facts are not recalled)", () => {
    const thread: ChatMessage[] = [
      { role: "system", content: "You are pup, a friendly dog." },
      {
        role: "user",
        content: formatSpeakerTurn({ speaker: "Ana", text: "my dog is called Biscuit" }),
      },
      { role: "assistant", content: "Noted!" },
      {
        role: "user",
        content: formatSpeakerTurn({ speaker: "Ana", text: "what is my dog called?" }),
      },
    ];
    expect(offlineAnswer(thread)).toBe("You told me earlier that my dog is called Biscuit.");
    const asked = thread
      .slice(0, 3)
      .concat({ role: "user", content: "Bo: what is Ana's dog called?" });
    expect(offlineAnswer(asked)).toBe("Ana said earlier that my dog is called Biscuit.");
  });

  test("never echoes a question as something it was told, nor a leading mention", () => {
    const question = { ...memories[0]!, text: "<@U0PUP> what is my cat called?" };
    const mentioned = { ...memories[0]!, text: "<@U0PUP> my cat is called Miso" };
    const lines = (items: typeof memories) => items.map((m) => formatMemoryLine(m)).join("\n");
    const ask = (items: typeof memories): ChatMessage[] => [
      { role: "system", content: lines(items) },
      { role: "user", content: "Bo: what is the cat called?" },
    ];
    expect(offlineAnswer(ask([question]))).toBe(OFFLINE_NO_MEMORY_ANSWER);
    expect(offlineAnswer(ask([question, mentioned]))).toBe(
      "Ana told me on 3 Nov in #design that my cat is called Miso.",
    );
  });

  test("says so honestly when nothing relevant was recalled", () => {
    expect(offlineAnswer(prompt("Ana: what's the wifi password?"))).toBe(OFFLINE_NO_MEMORY_ANSWER);
    expect(offlineAnswer([{ role: "user", content: "what is my cat called?" }])).toBe(
      OFFLINE_NO_MEMORY_ANSWER,
    );
    expect(offlineAnswer(prompt("Ana: hello!"))).toBe(OFFLINE_GREETING_ANSWER);
  });

  test("streams the answer in a few pieces with rough usage", async () => {
    const stream = createOfflineModel().stream({ messages: prompt("Ana: what is my cat called?") });
    const pieces: string[] = [];
    for await (const piece of stream) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.length).toBeLessThanOrEqual(4);
    const result = await stream.result();
    expect(pieces.join("")).toBe(result.text);
    expect(result.text).toBe("You told me on 3 Nov that my cat is called Miso.");
    expect(result.model).toBe(OFFLINE_CHAT_MODEL);
    expect(result.usage?.completionTokens).toBe(13);
    expect(result.usage?.promptTokens).toBeGreaterThan(50);
  });

  test("honours maxTokens and the abort signal", async () => {
    const short = await createOfflineModel()
      .stream({ messages: prompt("Ana: what is my cat called?"), maxTokens: 3 })
      .result();
    expect(short.text).toBe("You told me");
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    await expect(
      createOfflineModel()
        .stream({ messages: prompt("x"), signal: controller.signal })
        .result(),
    ).rejects.toThrow("gone");
  });
});
