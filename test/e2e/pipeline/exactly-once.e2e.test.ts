/**
 * Issue 4's "never post twice": duplicate deliveries (Slack's retries, the edge's fallback
 * queue) and lost Slack answers never produce a second reply, and a model outage produces one
 * in-character apology per conversation, no retry storm, and normal answers once it is back.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { QueuedForward } from "../../../edge/src/forward";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { deliverEvent } from "../edge/slack-requests";
import {
  forwardToCore,
  GENERAL,
  type Pipeline,
  PUP,
  pupMessages,
  RANDOM,
  said,
  settle,
  startPipeline,
  TEAM,
  waitFor,
} from "./harness";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({
    edge: true,
    breaker: { failureThreshold: 3, openMs: 1500 },
  });
});

afterAll(async () => {
  await pipeline?.stop();
});

/** Every message pup posted in `channel`, empty ones included, grouped by thread. */
function postsPerThread(channel: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { channel: where, message } of pipeline.slack.workspace.messages.all()) {
    if (where !== channel || message.user !== PUP) continue;
    const thread = message.thread_ts ?? message.ts;
    counts.set(thread, (counts.get(thread) ?? 0) + 1);
  }
  return counts;
}

describe("exactly one reply", () => {
  test("one event delivered 4 times at once (retries 0-3) and through the fallback queue", async () => {
    const edge = pipeline.edge;
    if (!edge) throw new Error("no edge");
    pipeline.openai.queueReply("Only once!");
    const mention = said(pipeline, `<@${PUP}> answer me once`, { mention: true });
    const deliveries = [0, 1, 2, 3].map((retry) =>
      deliverEvent(
        edge,
        mention.envelope,
        retry === 0
          ? {}
          : { "x-slack-retry-num": String(retry), "x-slack-retry-reason": "http_timeout" },
      ),
    );
    // The same payload also arrives through the edge's own fallback queue and its consumer.
    const payload: ForwardedPayload = {
      version: 1,
      kind: "event",
      id: String(mention.envelope.event_id),
      teamId: TEAM,
      receivedAt: new Date().toISOString(),
      retry: { num: 0, reason: null },
      payload: mention.envelope,
    };
    const queue = await edge.mf.getQueueProducer<QueuedForward>("CORE_FALLBACK_QUEUE", "edge");
    await queue.send({
      payload,
      meta: {
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        queuedAt: new Date().toISOString(),
        reason: "timeout",
      },
    });
    expect((await Promise.all(deliveries)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await waitFor(() => pupMessages(pipeline, GENERAL).length > 0, "the reply");
    // All five deliveries reach core (one accepted, four duplicates), the queued one last.
    const acceptances = () =>
      pipeline.logs.filter(
        (line) =>
          (line.msg === "slack payload accepted" || line.msg === "duplicate slack payload") &&
          line.eventId === payload.id,
      );
    await waitFor(() => acceptances().length === 5, "all five deliveries at core");
    expect(
      acceptances()
        .map((line) => line.status)
        .sort(),
    ).toEqual([200, 200, 200, 200, 202]);
    await settle(pipeline);
    expect(pupMessages(pipeline, GENERAL).filter((m) => m.thread_ts === mention.ts)).toHaveLength(
      1,
    );
    const logged = await pipeline.services.data.eventLog.find(TEAM, payload.id);
    expect(logged?.eventId).toBe(payload.id);
  });

  test("200 mentions while Slack loses every answer after posting: 0 duplicate posts", async () => {
    pipeline.slack.failNext("chat.postMessage", { kind: "lost_response" }, 1000);
    pipeline.slack.failNext("chat.startStream", { kind: "lost_response" }, 1000);
    const mentions = Array.from({ length: 200 }, (_, i) =>
      said(pipeline, `<@${PUP}> question ${i}`, { mention: true, channel: RANDOM }),
    );
    for (let i = 0; i < mentions.length; i += 25) {
      const chunk = mentions.slice(i, i + 25);
      // Each delivered twice, as Slack's retry would.
      const statuses = await Promise.all(
        chunk.flatMap((m) => [
          forwardToCore(pipeline, m.envelope),
          forwardToCore(pipeline, m.envelope, 1),
        ]),
      );
      expect(statuses.every((s) => s === 202 || s === 200)).toBe(true);
    }
    await settle(pipeline, 60_000);
    const perThread = postsPerThread(RANDOM);
    const duplicates = [...perThread.values()].filter((n) => n > 1).length;
    expect(duplicates).toBe(0);
    // Slack did post (the answers were only lost on the way back): one per mention at most.
    expect(perThread.size).toBeGreaterThan(150);
    expect(perThread.size).toBeLessThanOrEqual(200);
    pipeline.slack.reset();
  }, 90_000);
});

describe("the model down", () => {
  test("one apology per conversation, no retry storm, normal answers once it is back", async () => {
    pipeline.openai.injectFault("chat", { kind: "http-error", status: 500 }, { times: 10_000 });
    const before = pipeline.openai.chatRequests().length;
    const channel = GENERAL;
    const countBefore = pupMessages(pipeline, channel).length;
    for (let i = 0; i < 6; i++) {
      const mention = said(pipeline, `<@${PUP}> are you there? ${i}`, { mention: true, channel });
      expect(await forwardToCore(pipeline, mention.envelope)).toBe(202);
      await settle(pipeline);
    }
    const posted = pupMessages(pipeline, channel).slice(countBefore);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain("can't think");
    // The breaker opened after 3 failures: later mentions never reached the model.
    expect(pipeline.openai.chatRequests().length - before).toBeLessThanOrEqual(3);

    pipeline.openai.reset();
    await Bun.sleep(1600);
    pipeline.openai.queueReply("I'm back, woof.");
    const again = said(pipeline, `<@${PUP}> better now?`, { mention: true, channel });
    expect(await forwardToCore(pipeline, again.envelope)).toBe(202);
    await waitFor(
      () => pupMessages(pipeline, channel).some((m) => m.thread_ts === again.ts),
      "a normal answer after the outage",
    );
    expect(pupMessages(pipeline, channel).find((m) => m.thread_ts === again.ts)?.text).toBe(
      "I'm back, woof.",
    );
  }, 60_000);
});
