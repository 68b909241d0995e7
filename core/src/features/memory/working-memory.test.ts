// Working memory on its own: stamps decide what is served, appends carry a copy along, edits and
// deletes drop a channel's copies, and both bounds hold. Short-term memory and two processes
// sharing it are exercised in test/integration/working-memory.test.ts.
import { describe, expect, test } from "bun:test";
import type { ShortTermConversation, ShortTermMessage } from "../../ports/short-term-memory";
import { createWorkingMemory, type WorkingMemoryOutcome } from "./working-memory";

const channel: ShortTermConversation = { teamId: "T1", channelId: "C1", threadTs: null };
const thread = (threadTs: string): ShortTermConversation => ({ ...channel, threadTs });

function msg(n: number, overrides: Partial<ShortTermMessage> = {}): ShortTermMessage {
  const seconds = 1_700_000_000 + n;
  return {
    ts: `${seconds}.000100`,
    threadTs: null,
    userId: "U1",
    botId: null,
    text: `message ${n}`,
    postedAt: new Date(seconds * 1000),
    ...overrides,
  };
}

const tsOf = (messages: ShortTermMessage[] | undefined) => messages?.map((m) => m.ts);

function observed() {
  const outcomes: WorkingMemoryOutcome[] = [];
  return { outcomes, onLookup: (o: WorkingMemoryOutcome) => outcomes.push(o) };
}

describe("working memory", () => {
  test("serves a copy only at the stamp it was stored with, and only what it covers", () => {
    const { outcomes, onLookup } = observed();
    const working = createWorkingMemory({ onLookup });
    expect(working.lookup(channel, "s1", 2)).toBeUndefined();
    working.store(channel, "s1", [msg(1), msg(2), msg(3)], false);
    // What a read offers short-term memory to compare: only a copy that covers the read.
    expect(working.heldStamp(channel, 3)).toBe("s1");
    expect(working.heldStamp(channel, 4)).toBeUndefined();
    expect(working.heldStamp(thread("other"), 1)).toBeUndefined();
    expect(tsOf(working.lookup(channel, "s1", 2))).toEqual(tsOf([msg(2), msg(3)]));
    // Longer than the copy and not the whole history: it cannot vouch for it.
    expect(working.lookup(channel, "s1", 4)).toBeUndefined();
    // The stamp moved: the copy is retired, not served, and stays gone.
    expect(working.lookup(channel, "s2", 1)).toBeUndefined();
    expect(working.lookup(channel, "s1", 1)).toBeUndefined();
    expect(outcomes).toEqual(["miss", "hit", "miss", "stale", "miss"]);
    working.unavailable();
    expect(outcomes.at(-1)).toBe("unavailable");
  });

  test("a complete copy answers any length", () => {
    const working = createWorkingMemory();
    working.store(thread(msg(1).ts), "s", [msg(1)], true);
    expect(tsOf(working.lookup(thread(msg(1).ts), "s", 50))).toEqual([msg(1).ts]);
    working.store(channel, "s", [], true);
    expect(working.lookup(channel, "s", 5)).toEqual([]);
  });

  test("copies are the caller's own: changing an answer changes nothing held", () => {
    const working = createWorkingMemory();
    const given = [msg(1)];
    working.store(channel, "s", given, true);
    (given[0] as ShortTermMessage).text = "changed after storing";
    const first = working.lookup(channel, "s", 1);
    (first?.[0] as ShortTermMessage).text = "changed after reading";
    expect(working.lookup(channel, "s", 1)).toEqual([msg(1)]);
  });

  test("an append whose move starts at the copy's stamp carries it along", () => {
    const working = createWorkingMemory();
    const root = msg(1);
    working.store(channel, "c1", [root, msg(2)], true);
    working.store(thread(root.ts), "t1", [root], true);
    working.store(thread(msg(2).ts), "u1", [msg(2)], true);
    const reply = msg(3, { threadTs: root.ts });
    working.appended(
      [channel, thread(root.ts)],
      [
        { conversation: channel, from: "c1", to: "c2" },
        { conversation: thread(root.ts), from: "t1", to: "t2" },
      ],
      [reply],
    );
    expect(tsOf(working.lookup(channel, "c2", 10))).toEqual(tsOf([root, msg(2), reply]));
    expect(tsOf(working.lookup(thread(root.ts), "t2", 10))).toEqual(tsOf([root, reply]));
    // Another thread of the channel is not touched.
    expect(tsOf(working.lookup(thread(msg(2).ts), "u1", 10))).toEqual([msg(2).ts]);
  });

  test("an append that skipped a stamp, or may not have happened, drops the copy", () => {
    const working = createWorkingMemory();
    working.store(channel, "c1", [msg(1)], true);
    working.store(thread("X"), "t1", [msg(1)], true);
    // Another process wrote in between (c1 -> c2 was not ours); the thread's write failed.
    working.appended(
      [channel, thread("X")],
      [{ conversation: channel, from: "c2", to: "c3" }],
      [msg(2, { threadTs: "X" })],
    );
    expect(working.size).toBe(0);
    expect(working.lookup(channel, "c3", 1)).toBeUndefined();
  });

  test("appends follow short-term memory's rules: order, duplicates, gaps, the bound", () => {
    const working = createWorkingMemory({ maxMessagesPerConversation: 4 });
    const move = (from: string, to: string) => [{ conversation: channel, from, to }];
    working.store(channel, "a", [msg(5), msg(7)], false);
    // Out of order, a duplicate with other text, and one older than a partial copy (a gap).
    working.appended([channel], move("a", "b"), [msg(6), msg(7, { text: "dup" }), msg(1)]);
    const held = working.lookup(channel, "b", 3);
    expect(tsOf(held)).toEqual(tsOf([msg(5), msg(6), msg(7)]));
    expect(held?.[2]?.text).toBe("message 7");
    expect(working.lookup(channel, "b", 4)).toBeUndefined();
    working.appended([channel], move("b", "c"), [msg(8), msg(9)]);
    // Trimmed to 4 from the old end.
    expect(tsOf(working.lookup(channel, "c", 4))).toEqual(tsOf([msg(6), msg(7), msg(8), msg(9)]));

    // A complete copy takes an older message, and stops being complete once trimmed.
    const other = { ...channel, channelId: "C2" };
    const moveOther = (from: string, to: string) => [{ conversation: other, from, to }];
    working.store(other, "a", [msg(5)], true);
    working.appended([other], moveOther("a", "b"), [msg(1)]);
    expect(tsOf(working.lookup(other, "b", 10))).toEqual(tsOf([msg(1), msg(5)]));
    working.appended([other], moveOther("b", "c"), [msg(6), msg(7), msg(8)]);
    expect(working.lookup(other, "c", 5)).toBeUndefined();
    expect(working.lookup(other, "c", 4)).toHaveLength(4);
  });

  test("forgetChannel drops every copy of that channel and no other", () => {
    const working = createWorkingMemory();
    working.store(channel, "s", [msg(1)], true);
    working.store(thread(msg(1).ts), "s", [msg(1)], true);
    working.store({ ...channel, channelId: "C10" }, "s", [msg(1)], true);
    working.store({ ...channel, teamId: "T2" }, "s", [msg(1)], true);
    working.forgetChannel("T1", "C1");
    expect(working.size).toBe(2);
    expect(working.lookup({ ...channel, channelId: "C10" }, "s", 1)).toHaveLength(1);
    expect(working.lookup({ ...channel, teamId: "T2" }, "s", 1)).toHaveLength(1);
  });

  test("forgetTeam drops every copy of that workspace and no other; clear drops all", () => {
    const working = createWorkingMemory();
    working.store(channel, "s", [msg(1)], true);
    working.store({ ...channel, channelId: "C2" }, "s", [msg(1)], true);
    working.store({ ...channel, teamId: "T10" }, "s", [msg(1)], true);
    working.forgetTeam("T1");
    expect(working.size).toBe(1);
    expect(working.lookup(channel, "s", 1)).toBeUndefined();
    expect(working.lookup({ ...channel, teamId: "T10" }, "s", 1)).toHaveLength(1);
    working.clear();
    expect(working.size).toBe(0);
    expect(working.bytes).toBe(0);
  });

  test("bounded by conversations and by bytes, least recently used first out", () => {
    const byCount = createWorkingMemory({ maxConversations: 2 });
    byCount.store(thread("1"), "s", [msg(1)], true);
    byCount.store(thread("2"), "s", [msg(2)], true);
    expect(byCount.lookup(thread("1"), "s", 1)).toHaveLength(1);
    byCount.store(thread("3"), "s", [msg(3)], true);
    expect(byCount.size).toBe(2);
    expect(byCount.lookup(thread("2"), "s", 1)).toBeUndefined();
    expect(byCount.lookup(thread("1"), "s", 1)).toHaveLength(1);

    const long = (n: number) => msg(n, { text: "x".repeat(1000) });
    const byBytes = createWorkingMemory({ maxBytes: 7500 });
    for (let n = 1; n <= 5; n++) byBytes.store(thread(String(n)), "s", [long(n)], true);
    // Each copy weighs about 2,400 bytes (1,000 UTF-16 characters and overheads): three fit.
    expect(byBytes.size).toBe(3);
    expect(byBytes.bytes).toBeLessThanOrEqual(7500);
    expect(byBytes.lookup(thread("2"), "s", 1)).toBeUndefined();
    expect(byBytes.lookup(thread("5"), "s", 1)).toHaveLength(1);
  });
});
