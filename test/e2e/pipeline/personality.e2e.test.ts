/**
 * pup's mood end to end, through the real edge in workerd, core, PostgreSQL and Redis, with the
 * offline embedder and responder: warm thanks make it friendly, the same question asked again
 * makes it sarcastic and link its first answer, reactions to its replies lift it, and an admin's
 * tone rule keeps a mood out of a channel. `/pup mood` tells what happened, and why.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { uniqueName } from "../../setup/isolation";
import { deliverEvent, signedFormHeaders } from "../edge/slack-requests";
import {
  ALICE,
  BOB,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  settle,
  startPipeline,
  TEAM,
  waitFor,
} from "./harness";

const CAROL = "U0CAROLADM";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({ edge: true, llm: "offline" });
  pipeline.slack.workspace.addUser({
    id: CAROL,
    name: "carol",
    realName: "Carol Admin",
    isAdmin: true,
  });
});

afterAll(async () => {
  await pipeline?.stop();
});

function edge() {
  if (!pipeline.edge) throw new Error("the edge did not start");
  return pipeline.edge;
}

/** A brand-new public channel with Alice, Bob, Carol and pup in it. */
function freshChannel(name: string): string {
  return pipeline.slack.workspace.addChannel({
    id: uniqueName("C")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .slice(0, 11),
    name: `${name}-${crypto.randomUUID().slice(0, 6)}`,
    visibility: "public",
    members: [ALICE, BOB, CAROL, PUP],
  }).id;
}

/** Mentions pup in `channel` and waits for its answer (the newest of pup's messages there). */
async function ask(channel: string, text: string, user = ALICE) {
  const before = pupMessages(pipeline, channel).length;
  const message = said(pipeline, `<@${PUP}> ${text}`, { channel, mention: true, user });
  expect((await deliverEvent(edge(), message.envelope)).status).toBe(200);
  await waitFor(() => pupMessages(pipeline, channel).length > before, `pup's answer to "${text}"`);
  await settle(pipeline);
  const reply = pupMessages(pipeline, channel).at(-1);
  if (!reply) throw new Error("no reply");
  return { ts: message.ts, reply };
}

/** Runs `/pup <text>` in `channel` through the edge; resolves with the answer's text. */
async function command(channel: string, text: string, user = ALICE): Promise<string> {
  // On the local Slack's own origin: pup posts to no other (the contract's response_url rule).
  const responseUrl = pipeline.slack.responseUrl();
  const path = new URL(responseUrl).pathname;
  const form = {
    token: "unused",
    team_id: TEAM,
    team_domain: "pup-test",
    channel_id: channel,
    channel_name: "somewhere",
    user_id: user,
    user_name: "someone",
    command: "/pup",
    text,
    api_app_id: "A0FAKEAPP1",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abcdef`,
  };
  const body = new URLSearchParams(form).toString();
  const response = await edge().fetch("/slack/commands", {
    method: "POST",
    headers: await signedFormHeaders(body),
    body,
  });
  expect(response.status).toBe(200);
  await response.text();
  const answer = () => pipeline.slack.responses.find((r) => r.path === path);
  await waitFor(() => answer() !== undefined, `the answer to /pup ${text}`);
  return String(answer()?.body.text ?? "");
}

/** Reactions pup added to one of its messages. */
function pupReactions(ts: string): string[] {
  return pipeline.slack
    .callsTo("reactions.add")
    .filter((call) => call.args.timestamp === ts)
    .map((call) => String(call.args.name));
}

describe("mood, end to end", () => {
  test("three warm thanks in a fresh channel make /pup mood say Friendly", async () => {
    const channel = freshChannel("thanks");
    expect(await command(channel, "mood")).toContain("*Neutral*");

    const first = await ask(channel, "thank you so much, that was really helpful!");
    await ask(channel, "thanks a lot, you're the best :pray:");
    const third = await ask(channel, "awesome, thanks again pup! :tada:");

    const answer = await command(channel, "mood");
    expect(answer).toContain("*Friendly*");
    expect(answer).toContain("neutral → friendly");
    expect(answer).toContain("thanked");
    // The change names the message that caused it: the first thanks.
    expect(answer).toContain(pipeline.services.slack.permalink(TEAM, channel, first.ts));
    // Visible on the replies: the friendly reaction, on each reply given in that mood.
    expect(pupReactions(first.reply.ts)).toEqual(["slightly_smiling_face"]);
    expect(pupReactions(third.reply.ts)).toEqual(["slightly_smiling_face"]);
    // Recorded with the reply, too.
    const stored = await pipeline.services.data.botReplies.find(
      TEAM,
      `reply:${channel}:${third.ts}`,
    );
    expect(stored?.mood).toBe("friendly");
    // Counted for operators.
    const metrics = await (await fetch(`${pipeline.coreUrl}/metrics`)).text();
    expect(metrics).toMatch(/pup_mood_transitions_total\{from="neutral",to="friendly"\} [1-9]/);
  });

  test("the same question three times makes pup sarcastic, and its reply links the first answer", async () => {
    const channel = freshChannel("repeats");
    const first = await ask(channel, "where is the staging database?");
    expect(first.reply.text).not.toContain("my first answer");
    const firstAnswer = pipeline.services.slack.permalink(TEAM, channel, first.reply.ts);

    const second = await ask(channel, "where is the staging database again?");
    expect(second.reply.text).toContain(firstAnswer);
    expect(await command(channel, "mood")).toContain("*Neutral*");

    const third = await ask(channel, "sorry, where's the staging database?");
    expect(third.reply.text).toContain(firstAnswer);
    expect(third.reply.text).toContain("We've been here before");
    expect(pupReactions(third.reply.ts)).toEqual(["smirk"]);

    const answer = await command(channel, "mood");
    expect(answer).toContain("*Sarcastic*");
    expect(answer).toContain("neutral → sarcastic");
    expect(answer).toContain("asked the same question 3 times");

    // A different question on the same topic is not a repeat: no link.
    const other = await ask(channel, "who owns the staging database?");
    expect(other.reply.text).not.toContain(firstAnswer);
    // Bob asking Alice's question is not Alice repeating herself.
    const bob = await ask(channel, "where is the staging database?", BOB);
    expect(bob.reply.text).not.toContain("my first answer");
  });

  test("reactions to pup's replies lift a friendly pup to enthusiastic; ordinary talk calms it", async () => {
    const channel = freshChannel("cheers");
    const thanked = await ask(channel, "thanks for the help yesterday!");
    expect(await command(channel, "mood")).toContain("*Friendly*");

    for (const [user, reaction] of [
      [BOB, "heart"],
      [ALICE, "+1"],
      [CAROL, "tada"],
    ] as const) {
      const event = {
        token: "unused",
        team_id: TEAM,
        api_app_id: "A0FAKEAPP1",
        type: "event_callback",
        event_id: `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          { team_id: TEAM, user_id: PUP, is_bot: true, is_enterprise_install: false },
        ],
        event: {
          type: "reaction_added",
          user,
          reaction,
          item_user: PUP,
          item: { type: "message", channel, ts: thanked.reply.ts },
          event_ts: `${Date.now() / 1000}`,
        },
      };
      expect((await deliverEvent(edge(), event)).status).toBe(200);
      await settle(pipeline);
    }
    const lifted = await command(channel, "mood");
    expect(lifted).toContain("*Enthusiastic*");
    expect(lifted).toContain("friendly → enthusiastic");

    const calm = await ask(channel, "the build finished at noon");
    expect(pupReactions(calm.reply.ts)).toEqual(["slightly_smiling_face"]);
    const after = await command(channel, "mood");
    expect(after).toContain("*Friendly*");
    expect(after).toContain("enthusiastic → friendly, just now: back to ordinary talk");
  });

  test("an admin keeps sarcasm out of #incidents; a member cannot change the rules", async () => {
    const channel = freshChannel("incidents");
    expect(await command(channel, "tone never sarcastic", ALICE)).toContain(
      "Only workspace admins and owners",
    );
    expect(await command(channel, "tone never sarcastic", CAROL)).toContain(
      "pup will never be sarcastic here",
    );
    expect(await command(channel, "tone")).toContain("never sarcastic");

    const question = "what is the status page url?";
    const first = await ask(channel, question);
    await ask(channel, question);
    const third = await ask(channel, question);
    // Still pointed to its first answer, but without sarcasm.
    const link = pipeline.services.slack.permalink(TEAM, channel, first.reply.ts);
    expect(third.reply.text).toContain(link);
    expect(third.reply.text).not.toContain("We've been here before");
    expect(pupReactions(third.reply.ts)).toEqual([]);
    const answer = await command(channel, "mood");
    expect(answer).toContain("*Neutral*");
    expect(answer).toContain("Tone rules here: never sarcastic.");
    expect(answer).not.toContain("→ sarcastic");

    const audit = await pipeline.services.data.auditLog.list(TEAM, { action: "admin.tone.set" });
    expect(audit.some((entry) => entry.actor === CAROL && entry.subject === channel)).toBe(true);
    // Refused attempts are audit-logged too (issue 14), as refused.
    expect(
      audit.filter((entry) => entry.actor === ALICE).map((entry) => entry.details.outcome),
    ).toEqual(["refused"]);

    // Allowed again, the third repeat of a new question makes pup sarcastic there too.
    expect(await command(channel, "tone allow sarcastic", CAROL)).toContain(
      "pup may be sarcastic here again",
    );
    const other = "who is the incident commander today?";
    await ask(channel, other);
    await ask(channel, other);
    await ask(channel, other);
    expect(await command(channel, "mood")).toContain("*Sarcastic*");
  });
});
