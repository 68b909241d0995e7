/**
 * Limits guard what costs, never memory (issue 14, point 8), in real workerd with wrangler.toml's
 * own limits (20 a minute per user): ordinary messages, edits, deletions, reactions, channel
 * lifecycle and app lifecycle events all reach core whatever the limit says; only what gets a
 * reply from the edge's point of view (mentions, DMs to pup), commands and interactions count.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { appMention, directMessage } from "../../fixtures/slack/message-events";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

const ROOT = join(import.meta.dir, "..", "..", "..");
const TEAM = "T0COSTTEAM";
const CHATTY = "U0CHATTY01";

interface WranglerTopLevel {
  vars: Record<string, string>;
  ratelimits: { name: string; simple: { limit: number; period: 10 | 60 } }[];
}

/** wrangler.toml's per-user limit and lease size (the workspace limit stays generous). */
async function userLimit() {
  const text = await Bun.file(join(ROOT, "wrangler.toml")).text();
  const config = Bun.TOML.parse(text) as WranglerTopLevel;
  const user = config.ratelimits.find((limiter) => limiter.name === "USER_RATE_LIMITER");
  if (!user) throw new Error("wrangler.toml has no USER_RATE_LIMITER");
  return { ...user.simple, leaseSize: Number(config.vars.USER_RATE_LEASE_SIZE) };
}

let sequence = 0;
/** Wraps an inner event in an `event_callback` of workspace TEAM with a fresh event id. */
function delivered(event: Record<string, unknown>) {
  sequence += 1;
  return {
    ...appMention,
    team_id: TEAM,
    event_id: `Ev0COST${String(sequence).padStart(6, "0")}`,
    event,
  };
}

const channelMessage = (user: string, index: number) =>
  delivered({
    type: "message",
    channel_type: "channel",
    channel: "C0LIVELY01",
    user,
    text: `lively message number ${index}`,
    ts: `1800000000.${String(index).padStart(6, "0")}`,
  });
const mention = (user: string) => delivered({ ...appMention.event, user });
const dm = (user: string) => delivered({ ...directMessage.event, user });
const deletion = (user: string) =>
  delivered({
    type: "message",
    subtype: "message_deleted",
    hidden: true,
    channel: "C0LIVELY01",
    channel_type: "channel",
    deleted_ts: "1800000000.000007",
    ts: "1800000100.000001",
    previous_message: { type: "message", user, text: "lively message number 7" },
  });
const edit = (user: string) =>
  delivered({
    type: "message",
    subtype: "message_changed",
    hidden: true,
    channel: "C0LIVELY01",
    channel_type: "channel",
    ts: "1800000100.000002",
    message: { type: "message", user, text: "edited", ts: "1800000000.000008" },
  });
const threadMessage = (user: string) =>
  delivered({
    type: "message",
    channel_type: "channel",
    channel: "C0LIVELY01",
    user,
    text: "in a thread",
    ts: `1800000200.${String(sequence).padStart(6, "0")}`,
    thread_ts: "1800000000.000001",
  });
const reaction = (user: string) =>
  delivered({
    type: "reaction_added",
    user,
    reaction: "tada",
    item: { type: "message", channel: "C0LIVELY01", ts: "1800000000.000001" },
  });
const joined = (user: string) =>
  delivered({ type: "member_joined_channel", user, channel: "C0LIVELY01" });
const uninstalled = () => delivered({ type: "app_uninstalled" });
const revoked = () => delivered({ type: "tokens_revoked", tokens: { bot: ["U0PUPBOT01"] } });

/** Sends each envelope in turn; every one must be acknowledged. Returns their event ids. */
async function sendAll(routes: RoutesUnderTest, envelopes: { event_id: string }[]) {
  for (const envelope of envelopes) {
    expect((await routes.sendEvent(envelope)).status).toBe(200);
  }
  return envelopes.map((envelope) => envelope.event_id);
}

/** Waits for the next minute when too little of this one is left for a test to finish in it. */
async function startEarlyInAMinute() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 20_000) await Bun.sleep(left + 100);
}

describe("the edge limits what costs, never memory (workerd)", () => {
  let routes: RoutesUnderTest;
  beforeAll(async () => {
    const user = await userLimit();
    // The documented 20 a minute; the test below relies on it.
    expect(user.limit * user.leaseSize).toBe(20);
    routes = await startRoutes({ rateLimits: { user } });
  });
  afterAll(() => routes.stop());

  test("60 ordinary messages from one user in a minute all reach core", async () => {
    await startEarlyInAMinute();
    const ordinary = await sendAll(
      routes,
      Array.from({ length: 60 }, (_, index) => channelMessage(CHATTY, index)),
    );
    expect(routes.coreDeliveries()).toEqual(ordinary);
    expect(await routes.counters()).toMatchObject({ rate_limited: 0 });
  });

  test("the 21st mention or DM is limited; deletions and the rest after it still reach core", async () => {
    await startEarlyInAMinute();
    const before = routes.coreDeliveries().length;
    const limitedBefore = (await routes.counters()).rate_limited ?? 0;
    const user = "U0MENTIONS";
    const answered = await sendAll(routes, [
      ...Array.from({ length: 10 }, () => mention(user)),
      ...Array.from({ length: 10 }, () => dm(user)),
    ]);
    const overTheLimit = await sendAll(routes, [mention(user), dm(user)]);
    // Over its limit, the same user's memory-keeping deliveries still all go through.
    const kept = await sendAll(routes, [
      deletion(user),
      edit(user),
      threadMessage(user),
      reaction(user),
      joined(user),
      ...Array.from({ length: 5 }, (_, index) => channelMessage(user, 100 + index)),
      uninstalled(),
      revoked(),
    ]);
    expect((await routes.counters()).rate_limited).toBe(limitedBefore + 2);
    const delivered = routes.coreDeliveries().slice(before);
    expect(delivered).toEqual([...answered, ...kept]);
    for (const limited of overTheLimit) expect(delivered).not.toContain(limited);
  });
});

describe("over the workspace limit, deletions still reach core (workerd)", () => {
  test("a workspace of 5 replies a minute: the 6th mention is limited, the deletion after it is not", async () => {
    // One lease of 5 per workspace a minute: small enough to reach with a handful of requests.
    const routes = await startRoutes({ rateLimits: { team: { limit: 1, leaseSize: 5 } } });
    try {
      await startEarlyInAMinute();
      const answered = await sendAll(
        routes,
        Array.from({ length: 5 }, (_, index) => mention(`U0PERSON0${index}`)),
      );
      const limited = await sendAll(routes, [mention("U0PERSON09")]);
      const kept = await sendAll(routes, [deletion("U0PERSON01"), uninstalled(), revoked()]);
      expect(await routes.counters()).toMatchObject({ rate_limited: 1 });
      expect(routes.coreDeliveries()).toEqual([...answered, ...kept]);
      expect(routes.coreDeliveries()).not.toContain(limited[0]);
    } finally {
      await routes.stop();
    }
  });
});
