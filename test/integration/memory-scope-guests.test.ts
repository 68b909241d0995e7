/**
 * The canary test for guests and Slack Connect (issue 14, point 3): a guest (`is_restricted`),
 * a single-channel guest (`is_ultra_restricted`) and someone from another organisation (the
 * event's `user_team`) recall public talk only from conversations they are members of
 * (`users.conversations`); when Slack cannot say, only from the conversation they asked in.
 * Checked on the prompt the local OpenAI server receives, through the real composition over
 * in-process adapters (test/setup/in-process-pup.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEmbedBatcher } from "../../core/src/features/memory";
import type { ChatMessage } from "../../core/src/ports/language-model";
import {
  ALICE,
  BOB,
  type InProcessPup,
  PUP,
  startInProcessPup,
  TEAM,
} from "../setup/in-process-pup";

const GUEST = "U0GUEST001";
const SINGLE = "U0GUEST002";
const PARTNER = "U0PARTNER1";
const PARTNER_TEAM = "T0PARTNER1";
const GRID = "U0GRIDMEM1";
const GRID_HOME = "T0GRIDHOME";

let pup: InProcessPup;

beforeAll(async () => {
  pup = await startInProcessPup();
  pup.slack.addUser({ id: GUEST, name: "guest", isRestricted: true });
  pup.slack.addUser({ id: SINGLE, name: "single", isRestricted: true, isUltraRestricted: true });
  pup.slack.addUser({ id: PARTNER, name: "partner", teamId: PARTNER_TEAM });
  // Enterprise Grid: a member whose home is a sibling workspace of the same organisation.
  pup.slack.addUser({
    id: GRID,
    name: "grid",
    teamId: GRID_HOME,
    enterpriseTeams: [GRID_HOME, TEAM],
  });
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

const word = (stem: string) => `${stem}${Math.random().toString(36).slice(2, 8)}`;

function channel(members: string[]): string {
  const id = `C0${crypto.randomUUID().replaceAll("-", "").slice(0, 9).toUpperCase()}`;
  pup.slack.addChannel({ id, name: id.toLowerCase(), visibility: "public", members });
  return id;
}

async function say(channelId: string, text: string): Promise<void> {
  const said = pup.said(channelId, text, { user: ALICE });
  await pup.handle(said.envelope);
  const embedded = await createEmbedBatcher(pup.deps).embed({
    teamId: TEAM,
    channelId,
    ts: said.ts,
  });
  expect(embedded).toBe("embedded");
}

/** `user` mentions pup in `channelId`; the prompt the model received, as JSON. */
async function asks(channelId: string, user: string, question: string, userTeam?: string) {
  if (!pup.openai) throw new Error("the local OpenAI server did not start");
  pup.openai.queueReply("Woof.");
  const posted = pup.slack.workspace.postMessage(channelId, { user, text: question });
  await pup.handle(
    pup.envelope({
      type: "app_mention",
      user,
      text: `<@${PUP}> ${question}`,
      ts: posted.ts,
      channel: channelId,
      event_ts: posted.ts,
      ...(userTeam ? { user_team: userTeam } : {}),
    }),
  );
  return JSON.stringify(pup.openai.chatRequests().at(-1)?.body.messages as ChatMessage[]);
}

describe("guests and people from other organisations recall only where they are members", () => {
  test("members see every public channel; guests and partners only their own", async () => {
    const topic = word("otter");
    const canary = word("canaryguest");
    const visible = word("visibleguest");
    const everyone = [ALICE, BOB, PUP, GUEST, SINGLE, PARTNER];
    const shared = channel(everyone);
    const membersOnly = channel([ALICE, BOB, PUP]);
    const alsoShared = channel(everyone);
    await say(membersOnly, `the ${topic} budget is ${canary}`);
    await say(alsoShared, `the ${topic} schedule is ${visible}`);
    const question = `what do we know about the ${topic}?`;

    const member = await asks(shared, BOB, question);
    expect(member).toContain(canary);
    expect(member).toContain(visible);
    for (const [user, userTeam] of [[GUEST], [SINGLE], [PARTNER, PARTNER_TEAM]] as const) {
      const prompt = await asks(shared, user, question, userTeam);
      expect({ user, leaked: prompt.includes(canary) }).toEqual({ user, leaked: false });
      expect({ user, recalled: prompt.includes(visible) }).toEqual({ user, recalled: true });
    }
  });

  test("an outside user named only by the event's user_team is limited too", async () => {
    const topic = word("heron");
    const canary = word("canaryteam");
    // BOB is a member per users.info, but this delivery says he posts from another organisation.
    const shared = channel([ALICE, BOB, PUP]);
    const elsewhere = channel([ALICE, PUP]);
    await say(elsewhere, `the ${topic} code is ${canary}`);
    const prompt = await asks(shared, BOB, `what is the ${topic} code?`, PARTNER_TEAM);
    expect(prompt).not.toContain(canary);
  });

  test("a Grid member from a sibling workspace of the organisation is a member, not an outsider", async () => {
    const topic = word("badger");
    const fact = word("gridfact");
    const shared = channel([ALICE, BOB, PUP, GRID]);
    const elsewhere = channel([ALICE, PUP]);
    await say(elsewhere, `the ${topic} code is ${fact}`);
    const prompt = await asks(shared, GRID, `what is the ${topic} code?`, GRID_HOME);
    expect(prompt).toContain(fact);
  });

  test("when Slack cannot list a guest's conversations, recall fails closed and says so", async () => {
    const topic = word("lynx");
    const here = word("herelynx");
    const canary = word("canaryclosed");
    const shared = channel([ALICE, BOB, PUP, GUEST]);
    const alsoShared = channel([ALICE, BOB, PUP, GUEST]);
    await say(shared, `the ${topic} plan is ${here}`);
    await say(alsoShared, `the ${topic} price is ${canary}`);
    // Membership answers are cached for a minute: this guest's is not cached yet.
    await pup.deps.cache.delete(`slack:member-of:${TEAM}:${GUEST}`);
    pup.slack.failNext("users.conversations", { kind: "server_error", status: 503 }, 10);
    const prompt = await asks(shared, GUEST, `what about the ${topic}?`);
    expect(prompt).toContain(here);
    expect(prompt).not.toContain(canary);
    expect(
      pup.logs.some((line) => String(line.msg).includes("recalling from this conversation only")),
    ).toBe(true);
  });

  test("when Slack cannot say who is asking, even a member recalls only this conversation", async () => {
    const topic = word("marten");
    const here = word("heremarten");
    const canary = word("canaryinfo");
    const asked = channel([ALICE, BOB, PUP]);
    const elsewhere = channel([ALICE, BOB, PUP]);
    await say(asked, `the ${topic} plan is ${here}`);
    await say(elsewhere, `the ${topic} price is ${canary}`);
    // Bob is already in pup's directory, so only recall asks Slack about him; his users.info
    // answer is cached, so drop it first.
    await pup.handle(pup.said(asked, "morning", { user: BOB }).envelope);
    await pup.deps.cache.delete(`slack:user:${TEAM}:${BOB}`);
    pup.slack.failNext("users.info", { kind: "slack_error", error: "internal_error" });
    const prompt = await asks(asked, BOB, `what about the ${topic}?`);
    expect(prompt).toContain(here);
    expect(prompt).not.toContain(canary);
    expect(pup.logs.some((line) => String(line.msg).includes("users.info failed"))).toBe(true);

    // Once Slack answers again, the same member recalls every public channel.
    const again = await asks(asked, BOB, `what about the ${topic}?`);
    expect(again).toContain(canary);
  });
});
