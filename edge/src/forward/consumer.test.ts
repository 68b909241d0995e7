import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { DEFAULT_FORWARD_REDELIVERY } from "../env";
import {
  createQueueConsumer,
  REDELIVERY_TIMEOUT_MS,
  type RedeliveryPolicy,
  redeliveryDelaySeconds,
} from "./consumer";
import type { CoreAnswer, CoreClient } from "./core-client";
import type { QueueMessage } from "./types";

const policy: RedeliveryPolicy = { baseSeconds: 5, maxSeconds: 600, maxRetries: 3 };
const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

function payload(id: string): ForwardedPayload {
  return {
    version: 1,
    kind: "event",
    id,
    teamId: "T0PUP",
    receivedAt: "2027-01-15T08:00:00.000Z",
    retry: { num: 0, reason: null },
    payload: {},
  };
}

/** A queue message as the runtime hands it over, recording what the consumer decided. */
function message(body: unknown, attempts = 1) {
  const decisions: unknown[] = [];
  const msg: QueueMessage = {
    id: crypto.randomUUID(),
    body,
    attempts,
    ack: () => decisions.push("ack"),
    retry: (options) => decisions.push({ retry: options }),
  };
  return { msg, decisions };
}

function consumerWith(answers: Record<string, CoreAnswer>) {
  const logs: Record<string, unknown>[] = [];
  const delivered: { id: string; traceparent: string; timeoutMs: number }[] = [];
  const client: Pick<CoreClient, "deliver"> = {
    async deliver(p, meta, timeoutMs) {
      delivered.push({ id: p.id, traceparent: meta.traceparent, timeoutMs });
      return answers[p.id] ?? { accepted: false, reason: "network" };
    },
  };
  const consume = createQueueConsumer({ client, policy, log: (entry) => logs.push(entry) });
  return { consume, logs, delivered };
}

describe("redelivery delay", () => {
  test("doubles from the base and stops at the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 40].map((n) => redeliveryDelaySeconds(n, policy));
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
    expect(redeliveryDelaySeconds(1, { ...policy, baseSeconds: 0 })).toBe(0);
  });
});

describe("queue consumer", () => {
  test("acks what core accepts and retries the rest with backoff", async () => {
    const { consume, delivered } = consumerWith({ a: { accepted: true, status: 202 } });
    const accepted = message({ payload: payload("a"), meta: { traceparent } });
    const refused = message({ payload: payload("b"), meta: { traceparent } }, 3);
    await consume({ queue: "pup-core-fallback", messages: [accepted.msg, refused.msg] });
    expect(accepted.decisions).toEqual(["ack"]);
    expect(refused.decisions).toEqual([{ retry: { delaySeconds: 20 } }]);
    expect(delivered).toEqual([
      { id: "a", traceparent, timeoutMs: REDELIVERY_TIMEOUT_MS },
      { id: "b", traceparent, timeoutMs: REDELIVERY_TIMEOUT_MS },
    ]);
  });

  test("the last failed attempt is logged as going to the dead-letter queue", async () => {
    const { consume, logs } = consumerWith({});
    const last = message({ payload: payload("c"), meta: { traceparent } }, policy.maxRetries + 1);
    await consume({ queue: "pup-core-fallback", messages: [last.msg] });
    expect(last.decisions).toHaveLength(1);
    expect(logs).toMatchObject([{ level: "error", id: "c", attempts: 4 }]);
    expect(String(logs[0]?.msg)).toContain("dead-letter");
  });

  test("a malformed message is never acked: it goes the same way to the dead-letter queue", async () => {
    const { consume, delivered, logs } = consumerWith({});
    const broken = message({ payload: { id: "x" }, meta: { traceparent } });
    await consume({ queue: "pup-core-fallback", messages: [broken.msg] });
    expect(delivered).toEqual([]);
    expect(broken.decisions).toEqual([{ retry: { delaySeconds: 5 } }]);
    expect(logs[0]?.problems).toBeArray();
  });

  test("a lost traceparent gets a fresh one rather than holding the payload back", async () => {
    const { consume, delivered } = consumerWith({ d: { accepted: true, status: 200 } });
    const untraced = message({ payload: payload("d"), meta: {} });
    await consume({ queue: "pup-core-fallback", messages: [untraced.msg] });
    expect(untraced.decisions).toEqual(["ack"]);
    expect(delivered[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  test("wrangler.toml's max_retries matches the default every environment logs with", async () => {
    const toml = await Bun.file(join(import.meta.dir, "../../../wrangler.toml")).text();
    const config = Bun.TOML.parse(toml) as {
      queues?: { consumers?: { max_retries?: number }[] };
      env?: Record<string, { queues?: { consumers?: { max_retries?: number }[] } }>;
    };
    const consumers = [config, ...Object.values(config.env ?? {})].flatMap(
      (section) => section.queues?.consumers ?? [],
    );
    expect(consumers.length).toBeGreaterThan(0);
    for (const consumer of consumers) {
      expect(consumer.max_retries).toBe(DEFAULT_FORWARD_REDELIVERY.maxRetries);
    }
  });
});
