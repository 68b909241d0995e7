import { describe, expect, test } from "bun:test";
import type { QueueBatch } from "../edge/src/forward";
import { createInProcessQueue } from "./fallback-queue";

type Entry = Record<string, unknown>;

function setup(maxRetries = 3) {
  const logs: Entry[] = [];
  const queue = createInProcessQueue({ name: "q", maxRetries, log: (entry) => logs.push(entry) });
  return { queue, logs };
}

/** Resolves after the timers and promises already scheduled have run. */
const tick = (ms = 5) => Bun.sleep(ms);

describe("in-process fallback queue", () => {
  test("delivers a copy of each message to the consumer, once when acknowledged", async () => {
    const { queue } = setup();
    const seen: { body: unknown; attempts: number; queue: string }[] = [];
    queue.consumeWith(async (batch: QueueBatch) => {
      for (const message of batch.messages) {
        seen.push({ body: message.body, attempts: message.attempts, queue: batch.queue });
        message.ack();
      }
    });
    const body = { payload: { id: "Ev1" } };
    await queue.binding.send(body);
    await tick();
    expect(seen).toEqual([{ body, attempts: 1, queue: "q" }]);
    expect(seen[0]?.body).not.toBe(body);
    await tick(20);
    expect(seen).toHaveLength(1);
  });

  test("keeps messages sent before the consumer exists, then delivers them", async () => {
    const { queue } = setup();
    await queue.binding.sendBatch([{ body: "a" }, { body: "b" }]);
    const seen: unknown[] = [];
    queue.consumeWith(async (batch) => {
      for (const message of batch.messages) {
        seen.push(message.body);
        message.ack();
      }
    });
    await tick();
    expect(seen.sort()).toEqual(["a", "b"]);
  });

  test("redelivers on retry (and on a throwing consumer) until the retries run out", async () => {
    const { queue, logs } = setup(2);
    const attempts: number[] = [];
    queue.consumeWith(async (batch) => {
      for (const message of batch.messages) {
        attempts.push(message.attempts);
        if (message.attempts === 2) throw new Error("consumer broke");
        message.retry({ delaySeconds: 0 });
      }
    });
    await queue.binding.send("x");
    // The throw is retried after 1 s, as a failed batch would be.
    await Bun.sleep(1100);
    expect(attempts).toEqual([1, 2, 3]);
    expect(logs.map((entry) => entry.msg)).toEqual([
      "fallback consumer failed",
      "fallback queue gave up a payload",
    ]);
  });

  test("stop cancels waiting redeliveries and says how many were waiting", async () => {
    const { queue } = setup();
    const attempts: number[] = [];
    queue.consumeWith(async (batch) => {
      for (const message of batch.messages) {
        attempts.push(message.attempts);
        message.retry({ delaySeconds: 0.05 });
      }
    });
    await queue.binding.send("x");
    await tick();
    expect(queue.stop()).toBe(1);
    await queue.binding.send("y");
    await tick(80);
    expect(attempts).toEqual([1]);
  });
});
