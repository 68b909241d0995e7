/**
 * Issue 4's end-to-end path: a Slack-signed event posted to the real edge (workerd) reaches
 * core, a worker processes it, and pup's threaded reply appears in the local Slack; the model
 * (the local OpenAI server) was asked with a fact said earlier in the channel.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliverEvent } from "../edge/slack-requests";
import {
  ALICE_DM,
  GENERAL,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  settle,
  startPipeline,
  waitFor,
} from "./harness";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({ edge: true });
});

afterAll(async () => {
  await pipeline?.stop();
});

function edge() {
  if (!pipeline.edge) throw new Error("the edge did not start");
  return pipeline.edge;
}

describe("an app_mention through edge, core and worker", () => {
  test("is answered in its thread, with an earlier fact from the channel in the prompt", async () => {
    const fact = said(pipeline, "for the record, my cat is called Miso");
    expect((await deliverEvent(edge(), fact.envelope)).status).toBe(200);
    await settle(pipeline);
    // Only remembered: nobody addressed pup.
    expect(pupMessages(pipeline, GENERAL)).toEqual([]);

    pipeline.openai.queueReply("Your cat is called Miso, Alice told me earlier.");
    const embeddingsBefore = pipeline.openai.embeddingRequests().length;
    const question = said(pipeline, `<@${PUP}> what is my cat called?`, { mention: true });
    const ack = await deliverEvent(edge(), question.envelope);
    expect(ack.status).toBe(200);
    await waitFor(() => pupMessages(pipeline, GENERAL).length > 0, "pup's reply");
    await settle(pipeline);

    // The question was embedded once: that vector is stored with it and asked recall.
    expect(pipeline.openai.embeddingRequests().length - embeddingsBefore).toBe(1);
    const [reply] = pupMessages(pipeline, GENERAL);
    expect(reply?.thread_ts).toBe(question.ts);
    expect(reply?.text).toBe("Your cat is called Miso, Alice told me earlier.");
    const chats = pipeline.openai.chatRequests();
    const prompt = JSON.stringify(chats.at(-1)?.body.messages);
    expect(prompt).toContain("my cat is called Miso");
    expect(prompt).toContain("what is my cat called?");
    // The reply is on record with its send key, model and tokens.
    const record = await pipeline.services.data.botReplies.find(
      "T0FAKE0001",
      `reply:${GENERAL}:${question.ts}`,
    );
    expect(record).toMatchObject({ status: "sent", replyTs: reply?.ts, model: "gpt-4o-mini" });
    expect(record?.promptTokens).toBeGreaterThan(0);
  });

  test("a DM is answered without a mention; a thread pup is in gets answered too", async () => {
    pipeline.openai.queueReply("Noted!");
    const dm = said(pipeline, "remember that I prefer mornings", {
      channel: ALICE_DM,
      channelType: "im",
    });
    expect((await deliverEvent(edge(), dm.envelope)).status).toBe(200);
    await waitFor(() => pupMessages(pipeline, ALICE_DM).length === 1, "pup's DM reply");

    pipeline.openai.queueReply("Woof, first.");
    const root = said(pipeline, `<@${PUP}> start a thread`, { mention: true });
    await deliverEvent(edge(), root.envelope);
    await waitFor(
      () => pupMessages(pipeline, GENERAL).some((m) => m.thread_ts === root.ts),
      "pup's first reply",
    );
    await settle(pipeline);
    pipeline.openai.queueReply("Woof, second.");
    const followUp = said(pipeline, "and one more thing", { threadTs: root.ts });
    await deliverEvent(edge(), followUp.envelope);
    await waitFor(
      () => pupMessages(pipeline, GENERAL).filter((m) => m.thread_ts === root.ts).length === 2,
      "pup's reply in the thread it is in",
    );
  });

  test("a channel message that does not address pup is remembered, not answered", async () => {
    const before = pupMessages(pipeline, GENERAL).length;
    const chatter = said(pipeline, "lunch at noon?");
    await deliverEvent(edge(), chatter.envelope);
    await settle(pipeline);
    expect(pupMessages(pipeline, GENERAL)).toHaveLength(before);
    const stored = await pipeline.services.data.messages.find({
      teamId: "T0FAKE0001",
      channelId: GENERAL,
      ts: chatter.ts,
    });
    expect(stored?.text).toBe("lunch at noon?");
  });

  test("the author's profile facts and the channel's latest summary are in the prompt", async () => {
    // Written through the replying process's own (cached) view, as a job in this process would.
    const { messages } = pipeline.services.data;
    const { derived } = pipeline.services.deps;
    const source = said(pipeline, "I cycle to work every day");
    await deliverEvent(edge(), source.envelope);
    await settle(pipeline);
    const stored = await messages.find({ teamId: "T0FAKE0001", channelId: GENERAL, ts: source.ts });
    if (!stored) throw new Error("the source message was not stored");
    await derived.addFact({
      teamId: "T0FAKE0001",
      userId: "U0ALICE001",
      fact: "cycles to work every day",
      sourceMessageIds: [stored.id],
    });
    await derived.saveSummary({
      teamId: "T0FAKE0001",
      channelId: GENERAL,
      periodStart: new Date(Date.now() - 86_400_000),
      periodEnd: new Date(),
      summary: "The team planned the offsite for March.",
      sourceUserIds: ["U0ALICE001"],
    });
    pipeline.openai.queueReply("Noted.");
    const question = said(pipeline, `<@${PUP}> any plans?`, { mention: true });
    await deliverEvent(edge(), question.envelope);
    await waitFor(
      () => pupMessages(pipeline, GENERAL).some((m) => m.thread_ts === question.ts),
      "pup's reply",
    );
    const system = String(pipeline.openai.chatRequests().at(-1)?.body.messages?.[0]?.content);
    expect(system).toContain("cycles to work every day");
    expect(system).toContain("The team planned the offsite for March.");
  });

  test("/health reports every dependency and the queues; /metrics counts what was accepted", async () => {
    const health = await fetch(`${pipeline.coreUrl}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as Record<string, unknown>;
    expect(body.status).toBe("healthy");
    expect(JSON.stringify(body.checks)).toContain('"database"');
    expect(Object.keys((body.checks as { queues: object }).queues)).toContain("message");
    const metrics = await (await fetch(`${pipeline.coreUrl}/metrics`)).text();
    expect(metrics).toMatch(/pup_events_accepted_total\{result="accepted"\} [1-9]/);
    // Each handled event was logged with who, where and how long.
    const handled = pipeline.logs.find((line) => line.msg === "slack event handled");
    expect(handled).toMatchObject({ teamId: "T0FAKE0001", userId: "U0ALICE001" });
    expect(typeof handled?.ms).toBe("number");
    expect(typeof handled?.channelId).toBe("string");
  });

  test("a payload too big to ride in its job is read back from the event log", async () => {
    pipeline.openai.queueReply("That was a lot of words.");
    const long = said(pipeline, `<@${PUP}> ${"so many words ".repeat(1500)}`, { mention: true });
    expect((await deliverEvent(edge(), long.envelope)).status).toBe(200);
    await waitFor(
      () => pupMessages(pipeline, GENERAL).some((m) => m.thread_ts === long.ts),
      "the reply to a long message",
    );
  });
});
