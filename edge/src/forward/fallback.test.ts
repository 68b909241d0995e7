import { describe, expect, test } from "bun:test";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import type { QueueProducerBinding } from "../env";
import type { CoreAnswer, CoreClient } from "./core-client";
import { createFallbackForwarder } from "./fallback";
import { ForwardFailedError, type QueuedForward } from "./types";

const payload: ForwardedPayload = {
  version: 1,
  kind: "event",
  id: "Ev0FALLBACK",
  teamId: "T0PUP",
  receivedAt: "2027-01-15T08:00:00.000Z",
  retry: { num: 0, reason: null },
  payload: { type: "event_callback" },
};
const meta = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

/** A core client that answers from a script and records the deadlines it was given. */
function scriptedCore(answer: CoreAnswer) {
  const deadlines: number[] = [];
  const client: Pick<CoreClient, "deliver"> = {
    async deliver(_payload, _meta, deadlineMs) {
      deadlines.push(deadlineMs);
      return answer;
    },
  };
  return { client, deadlines };
}

/** A queue binding that keeps what it was sent, or refuses like a full/oversized send. */
function recordingQueue(refuse?: Error) {
  const sent: { body: unknown; options: unknown }[] = [];
  const queue: QueueProducerBinding = {
    async send(body, options) {
      if (refuse) throw refuse;
      sent.push({ body, options });
    },
    async sendBatch() {
      throw new Error("not used by the forwarder");
    },
  };
  return { queue, sent };
}

function setup(answer: CoreAnswer, queue: QueueProducerBinding | undefined) {
  const logs: Record<string, unknown>[] = [];
  const core = scriptedCore(answer);
  const forwarder = createFallbackForwarder({
    client: core.client,
    queue,
    deadlineMs: 700,
    log: (entry) => logs.push(entry),
    now: () => Date.parse("2027-01-15T08:00:01.000Z"),
  });
  return { forwarder, logs, deadlines: core.deadlines };
}

describe("fallback forwarder", () => {
  test("accepted by core within the deadline: nothing is queued", async () => {
    const { queue, sent } = recordingQueue();
    const { forwarder, deadlines } = setup({ accepted: true, status: 202 }, queue);
    expect(await forwarder.forward(payload, meta)).toBe("accepted");
    expect(deadlines).toEqual([700]);
    expect(sent).toEqual([]);
  });

  test("not accepted: queued as JSON with its trace and the reason", async () => {
    const { queue, sent } = recordingQueue();
    const { forwarder, logs } = setup({ accepted: false, reason: "timeout" }, queue);
    expect(await forwarder.forward(payload, meta)).toBe("queued");
    const envelope: QueuedForward = {
      payload,
      meta: { ...meta, queuedAt: "2027-01-15T08:00:01.000Z", reason: "timeout" },
    };
    expect(sent).toEqual([{ body: envelope, options: { contentType: "json" } }]);
    expect(logs).toMatchObject([{ level: "warn", id: payload.id, reason: "timeout" }]);
  });

  test("the queue refuses: the forward fails loudly so Slack retries", async () => {
    const { queue } = recordingQueue(new Error("Queue send failed: message too large"));
    const { forwarder, logs } = setup({ accepted: false, reason: "status 500" }, queue);
    await expect(forwarder.forward(payload, meta)).rejects.toBeInstanceOf(ForwardFailedError);
    expect(logs).toMatchObject([
      { level: "error", id: payload.id, queueError: "Queue send failed: message too large" },
    ]);
  });

  test("no queue bound: the forward fails instead of acknowledging a loss", async () => {
    const { forwarder, logs } = setup({ accepted: false, reason: "network" }, undefined);
    await expect(forwarder.forward(payload, meta)).rejects.toBeInstanceOf(ForwardFailedError);
    expect(logs).toMatchObject([{ level: "error", id: payload.id }]);
  });
});
