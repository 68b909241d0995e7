/**
 * Issue 14, point 12: a reply claim whose job died between claiming and recording is retried,
 * not lost, and still never answered twice. Real PostgreSQL, Redis and BullMQ; the local Slack
 * through the real SDK. A "crash" is a claim row left `claimed`, aged past the lease by SQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  type ClaimRecoveryDeps,
  claimReply,
} from "../../../core/src/features/reply/claim-recovery";
import { replySendKey } from "../../../core/src/ports/bot-reply-log";
import { createDb, type DbHandle } from "../../../db/client";
import { botReplies } from "../../../db/schema";
import {
  forwardToCore,
  GENERAL,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  startPipeline,
  TEAM,
  waitFor,
} from "./harness";

/** Short, so a young claim's retries outlast it within a test. */
const LEASE_MS = 1500;
let pipeline: Pipeline;
let handle: DbHandle;

beforeAll(async () => {
  pipeline = await startPipeline({ reply: { claimLeaseMs: LEASE_MS } });
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL ?? "";
  handle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
});

afterAll(async () => {
  await pipeline?.stop();
  await handle?.close();
});

/** A mention whose reply claim a crashed job left `claimed`, `ageMs` ago. */
async function crashedClaim(text: string, ageMs: number) {
  const mention = said(pipeline, `<@${PUP}> ${text}`, { mention: true });
  const sendKey = replySendKey(GENERAL, mention.ts);
  const claim = { teamId: TEAM, sendKey, channelId: GENERAL, threadTs: mention.ts };
  expect(await pipeline.services.data.botReplies.claim(claim)).toBe(true);
  await handle.db
    .update(botReplies)
    .set({ claimedAt: new Date(Date.now() - ageMs) })
    .where(and(eq(botReplies.teamId, TEAM), eq(botReplies.sendKey, sendKey)));
  return { ...mention, sendKey, claim };
}

const inThread = (ts: string) => pupMessages(pipeline, GENERAL).filter((m) => m.thread_ts === ts);
const row = (sendKey: string) => pipeline.services.data.botReplies.find(TEAM, sendKey);

async function recoveryDeps(): Promise<ClaimRecoveryDeps> {
  const { services } = pipeline;
  return {
    botReplies: services.data.botReplies,
    slack: services.slack,
    logger: services.deps.logger,
    now: Date.now,
    reply: { claimLeaseMs: LEASE_MS },
  };
}

describe("stuck reply claims", () => {
  test("crashed before posting: the retried job answers, exactly once", async () => {
    const crashed = await crashedClaim("did you hear me?", 60_000);
    pipeline.openai.queueReply("Heard you the second time.");
    expect(await forwardToCore(pipeline, crashed.envelope)).toBe(202);
    await waitFor(async () => (await row(crashed.sendKey))?.status === "sent", "the reply");
    const replies = inThread(crashed.ts);
    expect(replies.map((m) => m.text)).toEqual(["Heard you the second time."]);
    expect((await row(crashed.sendKey))?.replyTs).toBe(replies[0]?.ts ?? "none");
    expect(replies[0]?.metadata).toEqual({
      event_type: "pup_reply",
      event_payload: { send_key: crashed.sendKey },
    });
  });

  test("crashed after posting, before recording: recorded from Slack, not posted again", async () => {
    const crashed = await crashedClaim("one answer please", 60_000);
    const earlier = pipeline.slack.workspace.postMessage(GENERAL, {
      user: PUP,
      text: "The answer that made it.",
      thread_ts: crashed.ts,
      metadata: { event_type: "pup_reply", event_payload: { send_key: crashed.sendKey } },
    });
    const asked = pipeline.openai.chatRequests().length;
    expect(await forwardToCore(pipeline, crashed.envelope)).toBe(202);
    await waitFor(async () => (await row(crashed.sendKey))?.status === "sent", "the record");
    expect((await row(crashed.sendKey))?.replyTs).toBe(earlier.ts);
    expect(inThread(crashed.ts).map((m) => m.text)).toEqual(["The answer that made it."]);
    expect(pipeline.openai.chatRequests().length).toBe(asked);
  });

  test("a young claim is not answered now: a retryable error, nothing posted", async () => {
    const young = await crashedClaim("still thinking?", 0);
    const deps = { ...(await recoveryDeps()), reply: { claimLeaseMs: 60_000 } };
    const identity = await pipeline.services.slack.identity();
    await expect(claimReply(deps, young.claim, { ts: young.ts, identity })).rejects.toMatchObject({
      code: "reply_claim_held",
      retryable: true,
    });
    expect(inThread(young.ts)).toHaveLength(0);
    expect((await row(young.sendKey))?.status).toBe("claimed");
  });

  test("a young claim's job retries until the lease is over, then answers once", async () => {
    const young = await crashedClaim("answer after a while", 0);
    pipeline.openai.queueReply("Sorry, I was away.");
    expect(await forwardToCore(pipeline, young.envelope)).toBe(202);
    await waitFor(async () => (await row(young.sendKey))?.status === "sent", "the reply", 20_000);
    expect(inThread(young.ts).map((m) => m.text)).toEqual(["Sorry, I was away."]);
  }, 30_000);

  test("two retriers racing for one old claim: one takes it over, one answer", async () => {
    const crashed = await crashedClaim("race you", 60_000);
    const identity = await pipeline.services.slack.identity();
    const deps = await recoveryDeps();
    const trigger = { ts: crashed.ts, identity };
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4].map(() => claimReply(deps, crashed.claim, trigger)),
    );
    const why = outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
    const holders = outcomes.filter((o) => o.status === "fulfilled" && o.value === true);
    expect({ holders: holders.length, why }).toMatchObject({ holders: 1 });
    for (const outcome of outcomes.filter((o) => o.status === "rejected")) {
      expect(outcome.reason).toMatchObject({ code: "reply_claim_held" });
    }

    // Through the queue: the message and the app_mention of one message, both stuck.
    const again = await crashedClaim("race you twice", 60_000);
    pipeline.openai.queueReply("One of me is enough.");
    const message = structuredClone(again.envelope) as { event: Record<string, unknown> };
    message.event.type = "message";
    message.event.channel_type = "channel";
    const other = { ...message, event_id: `${String(again.envelope.event_id)}M` };
    const statuses = await Promise.all([
      forwardToCore(pipeline, again.envelope),
      forwardToCore(pipeline, other),
    ]);
    expect(statuses).toEqual([202, 202]);
    await waitFor(async () => (await row(again.sendKey))?.status === "sent", "the reply", 20_000);
    await Bun.sleep(LEASE_MS * 2);
    expect(inThread(again.ts).map((m) => m.text)).toEqual(["One of me is enough."]);
  }, 30_000);
});
