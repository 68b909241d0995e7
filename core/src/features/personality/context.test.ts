import { describe, expect, test } from "bun:test";
import {
  channelMoodSettings,
  DEFAULT_ENGAGEMENT_SETTINGS,
  type MessageContext,
  messageSignals,
  parseToneRules,
  reactionSignals,
} from "./context";
import { DEFAULT_MOOD_SETTINGS } from "./mood-machine";

const plain: MessageContext = {
  sentiment: { label: "neutral", thanks: false },
  repeated: false,
  inPupThread: false,
  recentMessages: 1,
};
const kindOf = (overrides: Partial<MessageContext>) =>
  messageSignals({ ...plain, ...overrides }, 1000, "1.1").map((s) => s.kind);

describe("messageSignals: one signal per message, by precedence", () => {
  test("an ordinary message is normal talk, carrying its time and ts", () => {
    expect(messageSignals(plain, 1000, "1.1")).toEqual([
      { kind: "normal", at: 1000, messageTs: "1.1" },
    ]);
  });

  test("thanks or a positive message is a positive interaction", () => {
    expect(kindOf({ sentiment: { label: "positive", thanks: false } })).toEqual(["positive"]);
    expect(kindOf({ sentiment: { label: "neutral", thanks: true } })).toEqual(["positive"]);
  });

  test("a negative message is negative", () => {
    expect(kindOf({ sentiment: { label: "negative", thanks: false } })).toEqual(["negative"]);
  });

  test("asking again outweighs politeness and everything else", () => {
    expect(
      kindOf({
        repeated: true,
        sentiment: { label: "positive", thanks: true },
        inPupThread: true,
        recentMessages: 50,
      }),
    ).toEqual(["repeated_question"]);
  });

  test("a reply in pup's thread, or a busy conversation, is engagement unless warmer or colder", () => {
    expect(kindOf({ inPupThread: true })).toEqual(["engagement"]);
    const busy = DEFAULT_ENGAGEMENT_SETTINGS.busyMessages;
    expect(kindOf({ recentMessages: busy })).toEqual(["engagement"]);
    expect(kindOf({ recentMessages: busy - 1 })).toEqual(["normal"]);
    expect(kindOf({ inPupThread: true, sentiment: { label: "positive", thanks: false } })).toEqual([
      "positive",
    ]);
    expect(kindOf({ inPupThread: true, sentiment: { label: "negative", thanks: false } })).toEqual([
      "negative",
    ]);
  });

  test("the busy threshold is configurable", () => {
    const signals = messageSignals({ ...plain, recentMessages: 2 }, 5, "2.2", { busyMessages: 2 });
    expect(signals.map((s) => s.kind)).toEqual(["engagement"]);
  });
});

describe("reactionSignals", () => {
  test("any reaction is engagement; a warm one is positive first, a cold one negative", () => {
    expect(reactionSignals("neutral", 7, "3.3")).toEqual([
      { kind: "engagement", at: 7, messageTs: "3.3" },
    ]);
    expect(reactionSignals("positive", 7, "3.3").map((s) => s.kind)).toEqual([
      "positive",
      "engagement",
    ]);
    expect(reactionSignals("negative", 7, "3.3").map((s) => s.kind)).toEqual([
      "negative",
      "engagement",
    ]);
  });
});

describe("tone rules", () => {
  test("stored rules keep known moods only, and never forbid neutral", () => {
    expect(parseToneRules({ forbidden: ["sarcastic", "grumpy", "neutral"] })).toEqual({
      forbidden: ["sarcastic"],
    });
    expect(parseToneRules({})).toEqual({ forbidden: [] });
    expect(parseToneRules(null)).toEqual({ forbidden: [] });
    expect(parseToneRules({ forbidden: "sarcastic" })).toEqual({ forbidden: [] });
  });

  test("a channel's settings add its forbidden moods to the operator's, once each", () => {
    const base = { ...DEFAULT_MOOD_SETTINGS, forbidden: ["enthusiastic" as const] };
    const settings = channelMoodSettings(base, { forbidden: ["sarcastic", "enthusiastic"] });
    expect([...settings.forbidden].sort()).toEqual(["enthusiastic", "sarcastic"]);
    expect(settings.repeatsToSarcastic).toBe(base.repeatsToSarcastic);
    expect(base.forbidden).toEqual(["enthusiastic"]);
  });
});
