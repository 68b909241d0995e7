import { describe, expect, test } from "bun:test";
import { loadCoreConfig } from "./core";
import { moodTuning } from "./mood-tuning";

describe("PUP_MOOD_TUNING", () => {
  test("counts and durations, in the machine's own fields", () => {
    expect(
      moodTuning.parse(
        "positiveToFriendly=2, repeatsToSarcastic=3,sarcasticDecay=45m,friendlyDecay=2d," +
          "enthusiasticDecay=90s,positiveWindow=1h,busyMessages=10",
      ),
    ).toEqual({
      ok: true,
      value: {
        positiveToFriendly: 2,
        repeatsToSarcastic: 3,
        sarcasticDecayMs: 45 * 60_000,
        friendlyDecayMs: 2 * 86_400_000,
        enthusiasticDecayMs: 90_000,
        positiveWindowMs: 3_600_000,
        busyMessages: 10,
      },
    });
  });

  test("every bad pair is named at once", () => {
    const result = moodTuning.parse(
      "positiveToFriendly=0,sarcasticDecay=soon,grumpiness=3,busyMessages=21,friendlyDecay=31d,x",
    );
    expect(result.ok).toBe(false);
    const problem = result.ok ? "" : result.problem;
    expect(problem).toContain('positiveToFriendly must be a whole number from 1 to 100, got "0"');
    expect(problem).toContain("sarcasticDecay must be a duration from 1s to 30d");
    expect(problem).toContain('unknown name "grumpiness"');
    expect(problem).toContain('busyMessages must be a whole number from 1 to 20, got "21"');
    expect(problem).toContain("friendlyDecay must be a duration");
    expect(problem).toContain('"x" is not name=value');
  });

  test("core's configuration carries it, and refuses a bad one naming the variable", () => {
    const env = {
      SLACK_BOT_TOKEN: "xoxb-test-0000000000-0000000000000-abcdefghijklmnopqrstuvwx",
      CORE_SHARED_SECRET: "a-shared-secret-of-at-least-32-characters",
    };
    expect(
      loadCoreConfig({ ...env, PUP_MOOD_TUNING: "repeatsToSarcastic=1" }).personality.tuning,
    ).toEqual({
      repeatsToSarcastic: 1,
    });
    expect(() => loadCoreConfig({ ...env, PUP_MOOD_TUNING: "repeatsToSarcastic=lots" })).toThrow(
      "PUP_MOOD_TUNING",
    );
  });
});
