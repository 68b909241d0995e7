/**
 * "Forget me" end to end through the real edge (issue 16, ADR-034). Alice and Bob speak in a
 * public channel, a private channel and their DMs with pup; pup answers, profiles them and
 * summarises the channels; one of Alice's messages is held in the edge's fallback queue (the
 * gate refuses it) when she runs `/pup forget me` and presses its button. Then a scan of every
 * text and JSON column of every table (the materialized view included) and of every Redis key
 * and value finds none of her words, while all of Bob's are still stored and still recalled,
 * and the audit log names her request without repeating anything she said.
 *
 * Not covered: a profile fact about Bob drawn from Alice's words. Both extractors only read a
 * person's own messages for their own profile (features/profiles), so pup cannot make one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { summaryJob } from "../../../core/src/features/summaries";
import { enqueueJob } from "../../../core/src/shared/jobs";
import { scanDatabase, scanRedis } from "../../setup/residue-scan";
import { newConversation } from "./conversations";
import {
  answersTo,
  canary,
  chatRequestAfter,
  clickButton,
  dmOf,
  drain,
  type ForgetWorld,
  findAction,
  type Spoken,
  slashCommand,
  speak,
  startForgetWorld,
} from "./forget-fixture";
import { ALICE, BOB, pupMessages, waitFor } from "./harness";

let world: ForgetWorld;
let channels: { general: string; secret: string; aliceDm: string; bobDm: string };
/** Every distinctive word Alice said (and her name): none may be left anywhere. */
const alice = {
  city: canary("acity"),
  codeword: canary("acode"),
  food: canary("afood"),
  employer: canary("acorp"),
  boat: canary("aboat"),
  queued: canary("aqueued"),
};
const bob = {
  password: canary("bpass"),
  city: canary("bcity"),
  roadmap: canary("broad"),
  locker: canary("block"),
};
const aliceSaid: Spoken[] = [];
const bobSaid: Spoken[] = [];
let queued: Spoken;

/**
 * Alice's words as the scans look for them: her canaries, every sentence, her real name and her
 * handle as prompts and summaries quote it (`"alice"`; bare, it would match her user id, which
 * the audit log and the tombstone keep by design).
 */
function aliceNeedles(): string[] {
  const sentences = aliceSaid.map((spoken) => spoken.text.replace(/^<@[A-Z0-9]+>\s*/, ""));
  return [...Object.values(alice), ...sentences, queued.text, "Alice Ng", '"alice"'];
}

async function scanFor(needles: string[], when: string) {
  const database = await scanDatabase(world.sql, needles);
  const redis = await scanRedis(world.redis, world.redisPrefix, needles);
  console.log(
    `residue-scan: ${when}: database ${database.tables} tables, ${database.rows} rows, ` +
      `${database.columns} columns, ${database.hits.length} hits; redis ${redis.keys} keys, ` +
      `${redis.values} values, ${redis.hits.length} hits`,
  );
  return { database, redis };
}

beforeAll(async () => {
  world = await startForgetWorld("fgme");
  channels = {
    general: newConversation(world.pipeline, "public"),
    secret: newConversation(world.pipeline, "private"),
    aliceDm: dmOf(world, ALICE),
    bobDm: dmOf(world, BOB),
  };
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

describe("forget me", () => {
  test("before: both speak everywhere, are answered, profiled and summarised", async () => {
    const { general, secret, aliceDm, bobDm } = channels;
    aliceSaid.push(await speak(world, ALICE, general, `I live in ${alice.city}`));
    bobSaid.push(
      await speak(world, BOB, general, `the deploy password for staging is ${bob.password}`),
    );
    aliceSaid.push(
      await speak(world, ALICE, general, `the launch codeword is ${alice.codeword}, keep it quiet`),
    );
    bobSaid.push(await speak(world, BOB, general, `I live in ${bob.city}`));
    aliceSaid.push(await speak(world, ALICE, secret, `my favourite food is ${alice.food}`));
    bobSaid.push(await speak(world, BOB, secret, `the private roadmap codename is ${bob.roadmap}`));
    aliceSaid.push(await speak(world, ALICE, aliceDm, `I work at ${alice.employer}`));
    bobSaid.push(await speak(world, BOB, bobDm, `my locker code is ${bob.locker}`));
    aliceSaid.push(
      await speak(world, ALICE, general, `please note the boat is named ${alice.boat}`, {
        mention: true,
      }),
    );
    // pup answers DMs and mentions (the local model echoes the question: its words are hers).
    await waitFor(
      () =>
        pupMessages(world.pipeline, aliceDm).length > 0 &&
        pupMessages(world.pipeline, bobDm).length > 0 &&
        pupMessages(world.pipeline, general).some((m) => (m.text ?? "").includes(alice.boat)),
      "pup's answers",
    );
    await drain(world);

    const { profiles } = world.pipeline.services.deps;
    await waitFor(
      async () => (await profiles.facts(world.team, ALICE)).length === 3,
      "Alice's three facts",
    );
    const aliceFacts = (await profiles.facts(world.team, ALICE)).map((fact) => fact.fact).sort();
    expect(aliceFacts).toEqual(
      [
        `favourite food is ${alice.food}`,
        `lives in ${alice.city}`,
        `works at ${alice.employer}`,
      ].sort(),
    );
    await waitFor(async () => (await profiles.facts(world.team, BOB)).length === 1, "Bob's fact");

    // The daily plan summarises every active conversation; the channel's cites both of them.
    const { deps } = world.pipeline.services;
    await enqueueJob(
      deps.queue,
      { ...summaryJob, jobId: () => `plan-forget-me-${world.team}` },
      { kind: "plan", teamId: world.team },
    );
    await waitFor(
      async () => (await deps.derived.latestSummary(world.team, general)) !== undefined,
      "the channel's summary",
    );
    await drain(world);
    const summary = (await deps.derived.latestSummary(world.team, general)) ?? "";
    expect(summary).toContain(alice.codeword);
    expect(summary).toContain(bob.password);
    const idOf = async (spoken: Spoken) =>
      (await deps.messages.find({ teamId: world.team, channelId: spoken.channel, ts: spoken.ts }))
        ?.id ?? -1;
    for (const spoken of [aliceSaid[1], bobSaid[0]]) {
      if (!spoken) throw new Error("nothing said");
      const citing = await deps.derived.summariesCiting(world.team, [await idOf(spoken)]);
      expect(citing.map((period) => period.channelId)).toEqual([general]);
    }

    // One more of Alice's messages: core refuses it (the gate), so the edge queues it.
    world.gate.refuse = (body) => body.includes(alice.queued);
    queued = await speak(world, ALICE, general, `the backup tape is labelled ${alice.queued}`, {
      stored: false,
    });
    await waitFor(
      () =>
        world.gate.seen.filter((seen) => !seen.passed && seen.body.includes(alice.queued)).length >=
        2,
      "the edge to queue the message and retry it once",
    );

    // The scans see what is there: her words are in both stores before the forget.
    const before = await scanFor(aliceNeedles(), "before forget me (Alice's words)");
    expect(before.database.hits.length).toBeGreaterThan(0);
    expect(before.redis.hits.length).toBeGreaterThan(0);
  }, 90_000);

  test("/pup forget me answers a button; pressing it forgets her; the queued message is dropped", async () => {
    const { aliceDm } = channels;
    const commandUrl = await slashCommand(world, ALICE, aliceDm, "forget me");
    let button: ReturnType<typeof findAction>;
    await waitFor(() => {
      const ephemerals = world.pipeline.slack
        .callsTo("chat.postEphemeral")
        .filter((call) => call.args.user === ALICE)
        .map((call) => call.args);
      button = findAction([...answersTo(world, commandUrl), ...ephemerals], "forget_me_confirm");
      return button !== undefined;
    }, "the confirmation button");
    if (!button) throw new Error("no forget_me_confirm button");
    // Nothing is forgotten before the click.
    expect(
      await world.pipeline.services.data.messages.find({
        teamId: world.team,
        channelId: aliceSaid[0]?.channel ?? "",
        ts: aliceSaid[0]?.ts ?? "",
      }),
    ).toBeDefined();

    await clickButton(world, ALICE, aliceDm, button);
    await waitFor(
      async () =>
        (
          await world.sql`select 1 from audit_log
            where team_id = ${world.team} and action = 'privacy.forget_me' and actor = ${ALICE}`
        ).length > 0,
      "the forget's audit row",
    );
    await drain(world);

    // The gate opens: the edge's next redelivery reaches core, which drops it (200: nothing to
    // do) and the edge acknowledges it.
    world.gate.refuse = undefined;
    await waitFor(
      () => world.gate.seen.some((seen) => seen.passed && seen.body.includes(alice.queued)),
      "the queued message's redelivery",
      20_000,
    );
    const delivered = world.gate.seen.find(
      (seen) => seen.passed && seen.body.includes(alice.queued),
    );
    expect(delivered?.status).toBe(200);
    await waitFor(
      () =>
        world.edge.logs.some(
          (line) =>
            (line as { msg?: string; id?: string }).msg === "queued payload delivered to core" &&
            (line as { id?: string }).id === queued.eventId,
        ),
      "the edge to acknowledge the queued message",
    );
    await drain(world);
    expect(
      await world.pipeline.services.data.messages.find({
        teamId: world.team,
        channelId: queued.channel,
        ts: queued.ts,
      }),
    ).toBeUndefined();
  }, 60_000);

  test("no residue: none of her words in any table, column or Redis key", async () => {
    const after = await scanFor(aliceNeedles(), "after forget me (Alice's words)");
    expect(after.database.hits).toEqual([]);
    expect(after.redis.hits).toEqual([]);
    // The same scans still find Bob's words (a scan that finds nothing proves nothing).
    const bobs = await scanFor(Object.values(bob), "after forget me (Bob's words, control)");
    for (const word of Object.values(bob)) {
      expect(bobs.database.hits.some((hit) => JSON.stringify(hit).includes(word))).toBe(true);
    }
    expect(bobs.redis.hits.length).toBeGreaterThan(0);
  }, 30_000);

  test("Bob's memories are all still there: messages, fact, summary", async () => {
    const { data, deps } = world.pipeline.services;
    for (const spoken of bobSaid) {
      const stored = await data.messages.find({
        teamId: world.team,
        channelId: spoken.channel,
        ts: spoken.ts,
      });
      expect(stored?.text).toBe(spoken.text);
    }
    expect((await deps.profiles.facts(world.team, BOB)).map((fact) => fact.fact)).toEqual([
      `lives in ${bob.city}`,
    ]);
    expect(await deps.profiles.facts(world.team, ALICE, { includeSuperseded: true })).toEqual([]);
    // The channel's summary was rewritten from what is left: Bob's words, none of hers.
    await waitFor(
      async () => (await deps.derived.latestSummary(world.team, channels.general)) !== undefined,
      "the rewritten summary",
    );
    const summary = (await deps.derived.latestSummary(world.team, channels.general)) ?? "";
    expect(summary).toContain(bob.password);
    expect(summary).not.toContain(alice.codeword);
  }, 30_000);

  test("Bob's questions still recall his words, and never hers", async () => {
    const elsewhere = newConversation(world.pipeline, "public");
    const asks: [string, string, string][] = [
      [elsewhere, "what is the deploy password for staging?", bob.password],
      [channels.secret, "what is the private roadmap codename?", bob.roadmap],
      [channels.bobDm, "what is my locker code?", bob.locker],
    ];
    for (const [channel, question, expected] of asks) {
      const before = world.pipeline.openai.chatRequests().length;
      await speak(world, BOB, channel, question, { mention: !channel.startsWith("D") });
      await waitFor(
        () => world.pipeline.openai.chatRequests().length > before,
        "the model request",
      );
      const prompt = chatRequestAfter(world, before);
      expect(prompt).toContain(expected);
      for (const word of Object.values(alice)) expect(prompt).not.toContain(word);
    }
    await drain(world);
    // Answering Bob brought none of her words back anywhere.
    const last = await scanFor(aliceNeedles(), "after Bob's questions (Alice's words)");
    expect(last.database.hits).toEqual([]);
    expect(last.redis.hits).toEqual([]);
  }, 60_000);

  test("the audit log names her request, never her words", async () => {
    const rows = await world.sql`select actor, action, subject, details from audit_log
      where team_id = ${world.team} and action like 'privacy.%'`;
    const forgetMe = rows.filter((row) => row.action === "privacy.forget_me");
    expect(forgetMe).toHaveLength(1);
    expect(forgetMe[0]?.actor).toBe(ALICE);
    const written = JSON.stringify(rows).toLowerCase();
    for (const needle of aliceNeedles()) expect(written).not.toContain(needle.toLowerCase());
    const [user] = await world.sql`select forgotten_at, name, real_name, display_name from users
      where team_id = ${world.team} and user_id = ${ALICE}`;
    expect(user?.forgotten_at).toBeInstanceOf(Date);
  });
});
