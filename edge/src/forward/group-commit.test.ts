import { describe, expect, test } from "bun:test";
import type { ForwardedBatchItem } from "../../../protocol/forwarded-batch";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import type { CoreAnswer } from "./core-client";
import { createGroupCommit } from "./group-commit";

function payload(id: string, text = ""): ForwardedPayload {
  return {
    version: 1,
    kind: "event",
    id,
    teamId: "T0PUP",
    receivedAt: "2026-11-26T00:00:00.000Z",
    retry: { num: 0, reason: null },
    payload: { text },
  };
}

interface Call {
  ids: string[];
  traceparents: string[];
  deadlineMs: number;
  answer(answers?: CoreAnswer[]): void;
}

/** A core client whose batches stay in flight until the test answers them. */
function heldClient() {
  const calls: Call[] = [];
  const accepted: CoreAnswer = { accepted: true, status: 202 };
  return {
    calls,
    client: {
      deliverBatch(items: readonly ForwardedBatchItem[], deadlineMs: number) {
        return new Promise<CoreAnswer[]>((resolve) => {
          calls.push({
            ids: items.map((item) => item.payload.id),
            traceparents: items.map((item) => item.traceparent),
            deadlineMs,
            answer: (answers) => resolve(answers ?? items.map(() => accepted)),
          });
        });
      },
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const meta = (id: string) => ({ traceparent: `tp-${id}` });

describe("group commit", () => {
  test("a delivery on an idle edge leaves at once, alone", async () => {
    const { client, calls } = heldClient();
    const commit = createGroupCommit({ client, concurrency: 2, maxItems: 50, maxBytes: 1e6 });
    const answer = commit.deliver(payload("a"), meta("a"), 700);
    expect(calls.map((c) => c.ids)).toEqual([["a"]]);
    expect(calls[0]?.deadlineMs).toBeGreaterThan(690);
    calls[0]?.answer();
    expect(await answer).toEqual({ accepted: true, status: 202 });
  });

  test("deliveries arriving while every slot is busy leave together in the sender's next batch", async () => {
    const { client, calls } = heldClient();
    const commit = createGroupCommit({ client, concurrency: 1, maxItems: 50, maxBytes: 1e6 });
    let firstDone = false;
    const first = commit.deliver(payload("first"), meta("first"), 700).then((answer) => {
      firstDone = true;
      return answer;
    });
    const later = ["b", "c", "d", "e"].map((id) => commit.deliver(payload(id), meta(id), 700));
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([["first"]]);

    calls[0]?.answer();
    await tick();
    // The sender takes the waiting ones along before it answers its own request.
    expect(calls.map((c) => c.ids)).toEqual([["first"], ["b", "c", "d", "e"]]);
    expect(calls[1]?.traceparents).toEqual(["tp-b", "tp-c", "tp-d", "tp-e"]);
    expect(firstDone).toBe(false);
    calls[1]?.answer();
    expect(await first).toEqual({ accepted: true, status: 202 });
    expect(await Promise.all(later)).toEqual(later.map(() => ({ accepted: true, status: 202 })));
  });

  test("each delivery gets its own item's answer", async () => {
    const { client, calls } = heldClient();
    const commit = createGroupCommit({ client, concurrency: 1, maxItems: 50, maxBytes: 1e6 });
    const first = commit.deliver(payload("first"), meta("first"), 700);
    const dup = commit.deliver(payload("dup"), meta("dup"), 700);
    const bad = commit.deliver(payload("bad"), meta("bad"), 700);
    const missing = commit.deliver(payload("missing"), meta("missing"), 700);
    calls[0]?.answer();
    await tick();
    calls[1]?.answer([
      { accepted: true, status: 200 },
      { accepted: false, reason: "status 400" },
    ]);
    expect(await first).toEqual({ accepted: true, status: 202 });
    expect(await dup).toEqual({ accepted: true, status: 200 });
    expect(await bad).toEqual({ accepted: false, reason: "status 400" });
    expect(await missing).toEqual({ accepted: false, reason: "no answer for item" });
  });

  test("batches stop at maxItems and at maxBytes; what is left sends itself", async () => {
    const { client, calls } = heldClient();
    const commit = createGroupCommit({ client, concurrency: 1, maxItems: 3, maxBytes: 2000 });
    const all = [commit.deliver(payload("first"), meta("first"), 700)];
    for (const id of ["a", "b", "c", "d", "e"])
      all.push(commit.deliver(payload(id), meta(id), 700));
    all.push(commit.deliver(payload("big", "x".repeat(5000)), meta("big"), 700));
    all.push(commit.deliver(payload("after"), meta("after"), 700));
    // Answer every batch as it appears, until all deliveries are answered.
    let answered = 0;
    const settledAll = Promise.all(all);
    const started = Date.now();
    while (answered < 5 && Date.now() - started < 600) {
      const call = calls[answered];
      if (call) {
        call.answer();
        answered += 1;
      }
      await Bun.sleep(1);
    }
    expect(await settledAll).toEqual(all.map(() => ({ accepted: true, status: 202 })));
    expect(calls.map((c) => c.ids)).toEqual([
      ["first"],
      ["a", "b", "c"],
      ["d", "e"],
      ["big"],
      ["after"],
    ]);
  });

  test("a delivery whose deadline passes while it waits stops waiting and is never sent", async () => {
    const { client, calls } = heldClient();
    const commit = createGroupCommit({ client, concurrency: 1, maxItems: 50, maxBytes: 1e6 });
    const first = commit.deliver(payload("first"), meta("first"), 1000);
    const started = Date.now();
    const late = await commit.deliver(payload("late"), meta("late"), 30);
    expect(late).toEqual({ accepted: false, reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(500);
    calls[0]?.answer();
    await first;
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([["first"]]);
  });

  test("slots free again after failures, so later deliveries are not stuck", async () => {
    const calls: string[][] = [];
    const commit = createGroupCommit({
      client: {
        async deliverBatch(items) {
          calls.push(items.map((i) => i.payload.id));
          throw new Error("client bug");
        },
      },
      concurrency: 1,
      maxItems: 50,
      maxBytes: 1e6,
    });
    await expect(commit.deliver(payload("a"), meta("a"), 500)).resolves.toEqual({
      accepted: false,
      reason: "network",
      error: "client bug",
    });
    // The slot was given back: a new delivery is sent at once, not queued behind a dead batch.
    void commit.deliver(payload("b"), meta("b"), 500);
    expect(calls).toEqual([["a"], ["b"]]);
  });

  test("a slot whose sender never comes back expires after its deadline", async () => {
    const { client, calls } = heldClient();
    let clock = 1_000_000;
    const commit = createGroupCommit({
      client,
      concurrency: 1,
      maxItems: 50,
      maxBytes: 1e6,
      now: () => clock,
    });
    // The sender's request was cancelled: its batch is never answered and never frees the slot.
    void commit.deliver(payload("lost"), meta("lost"), 5000);
    void commit.deliver(payload("waits"), meta("waits"), 5000);
    expect(calls.map((c) => c.ids)).toEqual([["lost"]]);
    clock += 5000 + 1000 + 1;
    const next = commit.deliver(payload("next"), meta("next"), 5000);
    expect(calls.map((c) => c.ids)).toEqual([["lost"], ["next", "waits"]]);
    calls[1]?.answer();
    expect(await next).toEqual({ accepted: true, status: 202 });
  });

  test("a delivery kept waiting by slots that are never given back sends itself after 50 ms", async () => {
    const { client, calls } = heldClient();
    const commit = createGroupCommit({ client, concurrency: 1, maxItems: 50, maxBytes: 1e6 });
    // The only slot's sender was cancelled with its request: its batch is never answered.
    void commit.deliver(payload("lost"), meta("lost"), 5000);
    const started = Date.now();
    const stuck = commit.deliver(payload("stuck"), meta("stuck"), 5000);
    while (calls.length < 2 && Date.now() - started < 1000) await Bun.sleep(5);
    expect(calls.map((c) => c.ids)).toEqual([["lost"], ["stuck"]]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(500);
    calls[1]?.answer();
    expect(await stuck).toEqual({ accepted: true, status: 202 });
  });
});
