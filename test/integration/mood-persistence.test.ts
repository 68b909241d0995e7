// Mood persistence (issue 7) against the real services: PostgreSQL holds each conversation's mood
// and its history, Redis keeps a copy. Every "process" below has its own database pool, Redis
// connection and clock, and moves the mood through features/personality/mood.ts as the pipeline does. The checks
// read PostgreSQL directly, so a lost update, a stale cache served as truth or a transition
// recorded twice shows up as a wrong version, count or history.
import { describe, expect, test } from "bun:test";
import { currentMood, moodCacheKey, moveMood } from "../../core/src/features/personality/mood";
import type { MoodSignal } from "../../core/src/features/personality/mood-machine";
import type { KeyValueCache } from "../../core/src/ports/cache";
import {
  closedPort,
  MINUTE,
  newPrefix,
  newScope,
  signal,
  startProcess,
  stored,
  T0,
  warnings,
} from "./mood-persistence-fixture";

describe("mood persistence", () => {
  test("the mood, its since and the machine's counters survive a restart", async () => {
    const prefix = newPrefix();
    const scope = newScope();
    const first = startProcess(prefix);
    const thanked = await moveMood(first.deps, scope, [signal("positive", T0, "1.000001")], {
      eventId: "Ev1",
    });
    expect(thanked.mood).toBe("friendly");
    for (const [i, minute] of [1, 2].entries()) {
      const engaged = signal("engagement", T0 + minute * MINUTE, `1.00000${i + 2}`);
      expect((await moveMood(first.deps, scope, [engaged], { eventId: `Ev${i + 2}` })).mood).toBe(
        "friendly",
      );
    }
    await first.close();

    // Same prefix (the cache survived the restart) and a fresh one (an empty cache): both agree.
    const again = startProcess(prefix);
    const empty = startProcess(newPrefix());
    const key = moodCacheKey(scope.teamId, scope.channelId);
    expect(await again.cache.get(key)).toBeDefined();
    expect(await empty.cache.get(key)).toBeUndefined();
    for (const p of [again, empty]) {
      p.clock.now = T0 + 3 * MINUTE;
      const now = await currentMood(p.deps, scope);
      expect(now).toEqual({ mood: "friendly", since: T0, transitions: [] });
    }
    expect((await stored(empty, scope)).recent?.engagement).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);

    // The third engaged reply, read from PostgreSQL alone, completes the three that are needed.
    const third = signal("engagement", T0 + 3 * MINUTE, "1.000004");
    const lifted = await moveMood(empty.deps, scope, [third], { eventId: "Ev4" });
    expect(lifted.mood).toBe("enthusiastic");
    expect(lifted.since).toBe(T0 + 3 * MINUTE);

    const { row, history } = await stored(empty, scope);
    expect(row?.version).toBe(4);
    expect(row?.mood).toBe("enthusiastic");
    expect(history).toEqual([
      {
        from: "friendly",
        to: "enthusiastic",
        reason: "3 engaged replies within 10 minutes",
        at: new Date(T0 + 3 * MINUTE),
        messageTs: "1.000004",
        eventId: "Ev4",
      },
      {
        from: "neutral",
        to: "friendly",
        reason: "thanked",
        at: new Date(T0),
        messageTs: "1.000001",
        eventId: "Ev1",
      },
    ]);
    expect([...warnings(again), ...warnings(empty)]).toEqual([]);
  });

  test("twenty changes at once in one process: none lost, one transition", async () => {
    const scope = newScope({ engagementToEnthusiastic: 20 });
    const p = startProcess(newPrefix());
    await moveMood(p.deps, scope, [signal("positive", T0)]);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        moveMood(p.deps, scope, [signal("engagement", T0 + (i + 1) * 1000, `2.${i}`)], {
          eventId: `Ev${i}`,
        }),
      ),
    );
    expect(warnings(p)).toEqual([]);
    expect(outcomes.filter((o) => o.transitions.length > 0)).toHaveLength(1);
    const { row, history } = await stored(p, scope);
    // One write for the thanks and one per engaged reply: no write was dropped or merged.
    expect(row?.version).toBe(21);
    expect(row?.mood).toBe("enthusiastic");
    const cachedCopy = JSON.parse(
      (await p.cache.get(moodCacheKey(scope.teamId, scope.channelId))) ?? "{}",
    );
    expect(cachedCopy.version).toBe(21);
    expect(history.map((h) => `${h.from}->${h.to}: ${h.reason}`)).toEqual([
      "friendly->enthusiastic: 20 engaged replies within 10 minutes",
      "neutral->friendly: thanked",
    ]);
    expect(history[0]?.eventId).toMatch(/^Ev\d+$/);
    expect(history[0]?.messageTs).toBe(`2.${history[0]?.eventId?.slice(2)}`);
  });

  test("two processes writing at once: every signal counts and both read the same mood", async () => {
    const prefix = newPrefix();
    const scope = newScope({ positiveToFriendly: 21, engagementToEnthusiastic: 10 });
    const [a, b] = [startProcess(prefix), startProcess(prefix)];
    if (!a || !b) throw new Error("unreachable");
    const burst = (count: number, kind: MoodSignal["kind"], from: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          moveMood((i % 2 === 0 ? a : b).deps, scope, [signal(kind, from + i * 1000)]),
        ),
      );
    // Nothing stored yet: the first writes race to insert the row.
    await burst(20, "positive", T0);
    const counted = await stored(a, scope);
    expect(counted.row?.version).toBe(20);
    expect(counted.row?.mood).toBe("neutral");
    expect(counted.recent?.positive).toHaveLength(20);
    expect(counted.history).toEqual([]);
    const warmed = await moveMood(b.deps, scope, [signal("positive", T0 + MINUTE)]);
    expect(warmed.transitions.map((t) => t.reason)).toEqual(["thanked 21 times"]);

    await burst(10, "engagement", T0 + 2 * MINUTE);
    expect([...warnings(a), ...warnings(b)]).toEqual([]);
    const after = await stored(b, scope);
    expect(after.row?.version).toBe(31);
    expect(after.history.map((h) => `${h.from}->${h.to}: ${h.reason}`)).toEqual([
      "friendly->enthusiastic: 10 engaged replies within 10 minutes",
      "neutral->friendly: thanked 21 times",
    ]);
    for (const p of [a, b]) {
      p.clock.now = T0 + 5 * MINUTE;
      expect((await currentMood(p.deps, scope)).mood).toBe("enthusiastic");
    }
  });
});

describe("mood cache", () => {
  test("a stale cached copy does not lose the newer write", async () => {
    const scope = newScope();
    const p = startProcess(newPrefix());
    const key = moodCacheKey(scope.teamId, scope.channelId);
    await moveMood(p.deps, scope, [signal("positive", T0)]);
    const old = await p.cache.get(key);
    expect(old && JSON.parse(old).version).toBe(1);
    await moveMood(p.deps, scope, [signal("engagement", T0 + MINUTE)]);
    await p.cache.set(key, old ?? "", 60);

    // Saving over version 1 conflicts; the retry reads PostgreSQL and keeps the first reply.
    await moveMood(p.deps, scope, [signal("engagement", T0 + 2 * MINUTE)]);
    const { row, recent } = await stored(p, scope);
    expect(row?.version).toBe(3);
    expect(recent?.engagement).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);
    expect(JSON.parse((await p.cache.get(key)) ?? "{}").version).toBe(3);
    const lifted = await moveMood(p.deps, scope, [signal("engagement", T0 + 3 * MINUTE)]);
    expect(lifted.transitions.map((t) => t.reason)).toEqual([
      "3 engaged replies within 10 minutes",
    ]);
  });

  test("a corrupt or wrongly shaped cached value is ignored", async () => {
    const scope = newScope();
    const p = startProcess(newPrefix());
    const key = moodCacheKey(scope.teamId, scope.channelId);
    await moveMood(p.deps, scope, [signal("positive", T0)]);
    const valid = JSON.parse((await p.cache.get(key)) ?? "{}");
    const sarcastic = { ...valid.state, mood: "sarcastic" };
    const junk = [
      "not json {",
      "null",
      "[]",
      JSON.stringify({ state: { mood: "furious" }, version: 1 }),
      // Would read as sarcastic if the missing version were not noticed.
      JSON.stringify({ state: sarcastic }),
      JSON.stringify({ state: sarcastic, version: "1" }),
    ];
    for (const [i, value] of junk.entries()) {
      await p.cache.set(key, value, 60);
      p.clock.now = T0 + (i + 1) * 1000;
      expect((await currentMood(p.deps, scope)).mood).toBe("friendly");
      await p.cache.set(key, value, 60);
      await moveMood(p.deps, scope, [signal("normal", T0 + (i + 1) * 1000)]);
    }
    const { row } = await stored(p, scope);
    expect(row?.mood).toBe("friendly");
    expect(row?.version).toBe(1 + junk.length);
  });

  test("with a cache that throws, the mood still moves through PostgreSQL", async () => {
    const fail = () => Promise.reject(new Error("cache down"));
    const failing: KeyValueCache = {
      get: fail,
      set: fail,
      setIfAbsent: fail,
      delete: fail,
      deletePrefix: fail,
      ping: fail,
    };
    const p = startProcess(newPrefix(), { cache: failing });
    const scope = newScope();
    expect((await moveMood(p.deps, scope, [signal("positive", T0)])).mood).toBe("friendly");
    for (const minute of [1, 2, 3]) {
      await moveMood(p.deps, scope, [signal("engagement", T0 + minute * MINUTE)]);
    }
    p.clock.now = T0 + 4 * MINUTE;
    expect((await currentMood(p.deps, scope)).mood).toBe("enthusiastic");
    const { row, history } = await stored(p, scope);
    expect(row?.version).toBe(4);
    expect(history.map((h) => h.to)).toEqual(["enthusiastic", "friendly"]);
    expect(warnings(p)).toContain("mood cache write failed");
  });

  // The Redis client retries once per command with a growing delay (up to 2 s while Redis stays
  // down), so this process makes few calls and the test gets more time than the default.
  test("with Redis down, the mood still moves through PostgreSQL", async () => {
    const p = startProcess(newPrefix(), { redisUrl: `redis://127.0.0.1:${await closedPort()}` });
    const scope = newScope();
    expect((await moveMood(p.deps, scope, [signal("positive", T0)])).mood).toBe("friendly");
    const engaged = await moveMood(p.deps, scope, [signal("engagement", T0 + MINUTE)]);
    expect(engaged).toEqual({ mood: "friendly", since: T0, transitions: [] });
    const { row, recent, history } = await stored(p, scope);
    expect(row?.version).toBe(2);
    expect(recent?.engagement).toEqual([T0 + MINUTE]);
    expect(history.map((h) => [h.to, h.reason])).toEqual([["friendly", "thanked"]]);
    expect(warnings(p)).toContain("mood cache write failed");
  }, 30_000);
});

describe("mood over time and tone rules", () => {
  test("sarcasm decays once, at the moment it fell due", async () => {
    const scope = newScope();
    const [a, b] = [startProcess(newPrefix()), startProcess(newPrefix())];
    if (!a || !b) throw new Error("unreachable");
    await moveMood(a.deps, scope, [signal("repeated_question", T0)]);
    const soured = await moveMood(a.deps, scope, [signal("repeated_question", T0 + MINUTE, "4.1")]);
    expect(soured.mood).toBe("sarcastic");
    // Ordinary talk does not restart sarcasm's clock; it is due 30 minutes after the repeat.
    await moveMood(a.deps, scope, [signal("normal", T0 + 20 * MINUTE)]);
    const due = T0 + 31 * MINUTE;
    a.clock.now = due - 1;
    expect((await currentMood(a.deps, scope)).mood).toBe("sarcastic");

    // Two processes ask at once, well after it fell due: one records the decay, the other reads it.
    a.clock.now = due + 45 * MINUTE;
    b.clock.now = due + 50 * MINUTE;
    const outcomes = await Promise.all([currentMood(a.deps, scope), currentMood(b.deps, scope)]);
    expect(outcomes.map((o) => o.mood)).toEqual(["neutral", "neutral"]);
    expect(outcomes.map((o) => o.since)).toEqual([due, due]);
    const before = await stored(a, scope);
    expect(before.history[0]).toEqual({
      from: "sarcastic",
      to: "neutral",
      reason: "no repeated question for 30 minutes",
      at: new Date(due),
      messageTs: null,
      eventId: null,
    });
    expect(before.history.map((h) => h.to)).toEqual(["neutral", "sarcastic"]);

    for (const p of [a, b]) {
      p.clock.now = due + 3 * 60 * MINUTE;
      expect(await currentMood(p.deps, scope)).toEqual({
        mood: "neutral",
        since: due,
        transitions: [],
      });
    }
    const after = await stored(a, scope);
    expect(after.history).toHaveLength(2);
    expect(after.row?.version).toBe(before.row?.version);
  });

  test("a forbidden mood is never entered, and a stored one is left", async () => {
    const noSarcasm = newScope({ forbidden: ["sarcastic"] });
    const p = startProcess(newPrefix());
    for (const minute of [0, 1, 2, 3]) {
      await moveMood(p.deps, noSarcasm, [signal("repeated_question", T0 + minute * MINUTE)]);
    }
    await Promise.all(
      [4, 5, 6, 7].map((minute) =>
        moveMood(p.deps, noSarcasm, [signal("repeated_question", T0 + minute * MINUTE)]),
      ),
    );
    const held = await stored(p, noSarcasm);
    expect(held.row?.mood).toBe("neutral");
    expect(held.history).toEqual([]);
    expect(p.logs.map((l) => l.message)).toContain(
      "mood change held back by the channel's tone rules",
    );

    // Sarcastic while allowed; then the channel's rules change and the next read leaves it.
    const scope = newScope();
    await moveMood(p.deps, scope, [signal("repeated_question", T0)]);
    await moveMood(p.deps, scope, [signal("repeated_question", T0 + MINUTE)]);
    const ruled = { ...scope, settings: { ...scope.settings, forbidden: ["sarcastic" as const] } };
    p.clock.now = T0 + 5 * MINUTE;
    const left = await currentMood(p.deps, ruled);
    expect(left.mood).toBe("neutral");
    expect(left.transitions.map((t) => [t.to, t.reason, t.at])).toEqual([
      ["neutral", "not allowed here", T0 + 5 * MINUTE],
    ]);
    p.clock.now = T0 + 6 * MINUTE;
    expect((await currentMood(p.deps, ruled)).transitions).toEqual([]);
    const { history } = await stored(p, scope);
    expect(history.map((h) => `${h.from}->${h.to}: ${h.reason}`)).toEqual([
      "sarcastic->neutral: not allowed here",
      "neutral->sarcastic: asked the same question 3 times",
    ]);
    expect(history[0]?.at).toEqual(new Date(T0 + 5 * MINUTE));
  });
});
