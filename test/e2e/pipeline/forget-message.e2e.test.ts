/**
 * Forgetting one message end to end through the real edge (issue 16, ADR-034): Alice's
 * `/pup forget <link>` of her own message removes it from recall, from the channel's summary
 * (rewritten without it) and from the profile fact drawn only from it, while the fact it shares
 * with another of her messages stays, with that source. Bob cannot forget her messages.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { summaryJob } from "../../../core/src/features/summaries";
import { enqueueJob } from "../../../core/src/shared/jobs";
import { scanDatabase, scanRedis } from "../../setup/residue-scan";
import { newConversation } from "./conversations";
import {
  answersTo,
  canary,
  chatRequestAfter,
  drain,
  type ForgetWorld,
  type Spoken,
  slashCommand,
  speak,
  startForgetWorld,
} from "./forget-fixture";
import { ALICE, BOB, waitFor } from "./harness";

let world: ForgetWorld;
let channel: string;
let elsewhere: string;
const food = canary("mfood");
const employer = canary("mcorp");
const venue = canary("mvenue");
/** Her message with two facts: one drawn only from it, one she states again elsewhere. */
let forgotten: Spoken;
let restated: Spoken;

beforeAll(async () => {
  world = await startForgetWorld("fgmsg");
  channel = newConversation(world.pipeline, "public");
  elsewhere = newConversation(world.pipeline, "public");
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

/** Bob asks pup, from a channel where none of this was said; returns the model's prompt. */
async function bobAsks(question: string): Promise<string> {
  const room = newConversation(world.pipeline, "public");
  const before = world.pipeline.openai.chatRequests().length;
  await speak(world, BOB, room, question, { mention: true });
  await waitFor(() => world.pipeline.openai.chatRequests().length > before, "the model request");
  await drain(world);
  return chatRequestAfter(world, before);
}

const summary = () => world.pipeline.services.deps.derived.latestSummary(world.team, channel);
const aliceFacts = () =>
  world.pipeline.services.deps.profiles.facts(world.team, ALICE, { includeSuperseded: true });

test("forgetting one message: gone from recall, summary and the fact drawn only from it", async () => {
  const { deps, data } = world.pipeline.services;
  forgotten = await speak(
    world,
    ALICE,
    channel,
    `my favourite food is ${food}. I work at ${employer}`,
  );
  await speak(world, BOB, channel, `the offsite venue is ${venue}`);
  restated = await speak(world, ALICE, elsewhere, `I work at ${employer}`);
  await drain(world);
  await waitFor(async () => (await aliceFacts()).length === 2, "Alice's two facts");
  const sources = (subject: string) =>
    aliceFacts().then((facts) =>
      facts.find((fact) => fact.subject === subject)?.sources.map((source) => source.ts),
    );
  expect(await sources("favourite_food")).toEqual([forgotten.ts]);
  expect((await sources("employer"))?.sort()).toEqual([forgotten.ts, restated.ts].sort());

  await enqueueJob(
    deps.queue,
    { ...summaryJob, jobId: () => `plan-forget-message-${world.team}` },
    { kind: "plan", teamId: world.team },
  );
  await waitFor(async () => (await summary()) !== undefined, "the channel's summary");
  await drain(world);
  expect(await summary()).toContain(food);
  expect(await summary()).toContain(venue);
  const forgottenId =
    (await data.messages.find({ teamId: world.team, channelId: channel, ts: forgotten.ts }))?.id ??
    -1;
  const citing = () => deps.derived.summariesCiting(world.team, [forgottenId]);
  expect((await citing()).map((period) => period.channelId)).toEqual([channel]);
  const question = "what is the favourite food, and where is the offsite venue?";
  expect(await bobAsks(question)).toContain(food);

  // Bob may not forget her message (he is neither its author nor an admin).
  const link = deps.slack.permalink(world.team, channel, forgotten.ts);
  await slashCommand(world, BOB, channel, `forget ${link}`);
  await waitFor(
    async () =>
      (
        await world.sql`select 1 from audit_log where team_id = ${world.team}
          and action = 'privacy.forget_message.refused' and actor = ${BOB}`
      ).length > 0,
    "the refusal's audit row",
  );
  await drain(world);
  expect(
    (await data.messages.find({ teamId: world.team, channelId: channel, ts: forgotten.ts }))?.text,
  ).toBe(forgotten.text);

  // Its author may.
  const answerUrl = await slashCommand(world, ALICE, channel, `forget ${link}`);
  await waitFor(() => answersTo(world, answerUrl).length > 0, "the answer to /pup forget");
  await waitFor(
    async () =>
      (
        await world.sql`select 1 from audit_log where team_id = ${world.team}
          and action = 'privacy.forget_message' and actor = ${ALICE}`
      ).length > 0,
    "the forget's audit row",
  );
  await drain(world);

  // Recall: never again, from anywhere; Bob's words in the same channel still are.
  const prompt = await bobAsks(question);
  expect(prompt).not.toContain(food);
  expect(prompt).toContain(venue);
  // The summary that cited it was rewritten without it.
  await waitFor(async () => (await summary()) !== undefined, "the rewritten summary");
  expect(await summary()).not.toContain(food);
  expect(await summary()).toContain(venue);
  expect(await citing()).toEqual([]);
  // The fact drawn only from it is gone, history and all; the other keeps its other source.
  const facts = await aliceFacts();
  expect(facts.map((fact) => fact.subject)).toEqual(["employer"]);
  expect(facts[0]?.sources.map((source) => source.ts)).toEqual([restated.ts]);
  const stored = await data.messages.find({
    teamId: world.team,
    channelId: channel,
    ts: forgotten.ts,
  });
  expect(stored === undefined || stored.text === "").toBe(true);

  // And nothing of it anywhere: the forgotten words in no table, column or Redis key.
  const needles = [food, forgotten.text];
  const database = await scanDatabase(world.sql, needles);
  const redis = await scanRedis(world.redis, world.redisPrefix, needles);
  console.log(
    `residue-scan: forget one message: database ${database.tables} tables, ${database.rows} ` +
      `rows, ${database.columns} columns, ${database.hits.length} hits; redis ${redis.keys} ` +
      `keys, ${redis.values} values, ${redis.hits.length} hits`,
  );
  expect(database.hits).toEqual([]);
  expect(redis.hits).toEqual([]);
  // What it shared with her other message is still there (the scan would see it).
  const kept = await scanDatabase(world.sql, [employer, venue]);
  expect(kept.hits.length).toBeGreaterThan(0);
}, 120_000);
