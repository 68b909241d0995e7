// Issue 14, point 9, on pup's real composition (in-process adapters, the local Slack and OpenAI
// servers): a reply over a limit is skipped but its message is remembered, the asker gets one
// in-character note per minute (not one per message), the token budget refuses once spent and
// serves again the next UTC day, and a command over the limit gets a private "slow down".
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { DEFAULT_LIMITS } from "../../../core/src/config/limits";
import { messageQueue } from "../../../core/src/features/intake";
import { HOARSE_TEXT, OUT_OF_BREATH_TEXT, SLOW_DOWN_TEXT } from "../../../core/src/features/limits";
import { ALICE, BOB, type InProcessPup, startInProcessPup, TEAM } from "../../setup/in-process-pup";

let pup: InProcessPup;
/** The fake clock the limits read (pup.deps.now), moved by the tests. */
let now = Date.UTC(2026, 11, 1, 9, 0, 0);

beforeAll(async () => {
  pup = await startInProcessPup();
  pup.deps.now = () => now;
}, 60_000);
afterAll(() => pup.stop());
beforeEach(() => {
  now += 86_400_000; // a fresh UTC day and minute for every test: nothing carries over
  pup.deps.limits = { ...DEFAULT_LIMITS, userPerMinute: 3 };
});

const notesTo = (user: string) =>
  pup.slack.workspace.ephemerals.filter((note) => note.user === user).map((n) => n.message.text);

describe("limits on replies", () => {
  test("over the per-user limit: every message is remembered, 3 are answered, one note is sent", async () => {
    const channel = pup.conversation("public");
    const said = [];
    for (let i = 0; i < 6; i += 1) {
      const message = pup.said(channel, `<@U0FAKEBOT1> question number ${i}?`, { mention: true });
      said.push(message.ts);
      await pup.handle(message.envelope);
      now += 1_000;
    }
    expect(pup.pupMessages(channel)).toHaveLength(3);
    for (const ts of said) {
      expect(await pup.deps.messages.find({ teamId: TEAM, channelId: channel, ts })).toMatchObject({
        deletedAt: null,
      });
    }
    expect(notesTo(ALICE)).toEqual([OUT_OF_BREATH_TEXT]);

    // A minute after the first answers, Alice is answered again (the window slides).
    now += 60_000;
    await pup.handle(pup.said(channel, "<@U0FAKEBOT1> and now?", { mention: true }).envelope);
    expect(pup.pupMessages(channel)).toHaveLength(4);
    // Bob was never limited by Alice's questions.
    await pup.handle(pup.said(channel, "<@U0FAKEBOT1> hi", { mention: true, user: BOB }).envelope);
    expect(pup.pupMessages(channel)).toHaveLength(5);
  });

  test("the daily token budget refuses once spent and serves again the next UTC day", async () => {
    pup.deps.limits = { ...DEFAULT_LIMITS, userDailyTokens: 1 };
    const dm = pup.conversation("im");
    await pup.handle(pup.said(dm, "first question").envelope);
    expect(pup.pupMessages(dm)).toHaveLength(1); // the reply that spent the budget
    await pup.handle(pup.said(dm, "second question").envelope);
    await pup.handle(pup.said(dm, "third question").envelope);
    expect(pup.pupMessages(dm)).toHaveLength(1);
    expect(notesTo(ALICE).filter((text) => text === HOARSE_TEXT)).toHaveLength(1);

    now = Date.UTC(
      new Date(now).getUTCFullYear(),
      new Date(now).getUTCMonth(),
      new Date(now).getUTCDate() + 1,
      0,
      0,
      5,
    );
    await pup.handle(pup.said(dm, "a new day").envelope);
    expect(pup.pupMessages(dm)).toHaveLength(2);
  });
});

describe("limits on commands", () => {
  test("a command over the per-user limit gets a private slow down and is not run", async () => {
    const run = messageQueue.processor(pup.deps);
    const command = async (triggerId: string) => {
      const responseUrl = pup.slack.responseUrl();
      const payload = {
        token: "unused",
        team_id: TEAM,
        team_domain: "fake",
        channel_id: pup.conversation("public"),
        channel_name: "general",
        user_id: ALICE,
        user_name: "alice",
        command: "/pup",
        text: "help",
        api_app_id: "A0FAKEAPP1",
        response_url: responseUrl,
        trigger_id: triggerId,
      };
      const eventId = `command:${TEAM}:${triggerId}`;
      const event = {
        id: 0,
        teamId: TEAM,
        eventId,
        kind: "command" as const,
        eventType: "/pup",
        userId: ALICE,
        channelId: payload.channel_id,
        payload,
        retryNum: 0,
        retryReason: null,
        receivedAt: new Date(now),
      };
      const data = { teamId: TEAM, eventId, event };
      await run(data, { id: eventId, queue: "message", name: "command", data, attempt: 1 });
      return pup.slack.responses.filter((post) => responseUrl.endsWith(post.path));
    };
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await command(`trig${now}.${i}`));
    const texts = answers.map((posts) => posts.map((post) => String(post.body.text)));
    expect(texts.slice(0, 3).every(([text]) => text !== SLOW_DOWN_TEXT && text !== undefined)).toBe(
      true,
    );
    expect(texts[3]).toEqual([SLOW_DOWN_TEXT]);
  });
});
