import { describe, expect, test } from "bun:test";
import { authoredBy, jobOfMessage, jobOfTeam, jobOfUser } from "./job-data";

const TEAM = "T1";
const ALICE = "U_ALICE";
const BOB = "U_BOB";

/** A message job as intake queues it, with the Slack payload inline. */
function messageJob(event: Record<string, unknown>, teamId = TEAM) {
  return {
    teamId,
    eventId: "Ev1",
    kind: "event",
    event: { teamId, eventId: "Ev1", payload: { team_id: teamId, event } },
  };
}

describe("which jobs belong to a forgotten user", () => {
  test("her message, her edit, her deletion, her command and her button belong to her", () => {
    expect(jobOfUser(messageJob({ type: "message", user: ALICE, text: "hi" }), TEAM, ALICE)).toBe(
      true,
    );
    const edit = { type: "message", subtype: "message_changed", message: { user: ALICE } };
    expect(jobOfUser(messageJob(edit), TEAM, ALICE)).toBe(true);
    const deletion = {
      type: "message",
      subtype: "message_deleted",
      previous_message: { user: ALICE },
    };
    expect(jobOfUser(messageJob(deletion), TEAM, ALICE)).toBe(true);
    const command = { teamId: TEAM, event: { payload: { user_id: ALICE, text: "forget me" } } };
    expect(jobOfUser(command, TEAM, ALICE)).toBe(true);
    const action = {
      teamId: TEAM,
      event: { payload: { user: { id: ALICE }, type: "block_actions" } },
    };
    expect(jobOfUser(action, TEAM, ALICE)).toBe(true);
  });

  test("another person's message that mentions her is not hers, and is never removed", () => {
    const mention = { type: "message", user: BOB, text: `thanks <@${ALICE}>` };
    expect(jobOfUser(messageJob(mention), TEAM, ALICE)).toBe(false);
    // A reaction to her message by someone else names her only as `item_user`.
    const reaction = { type: "reaction_added", user: BOB, item_user: ALICE };
    expect(jobOfUser(messageJob(reaction), TEAM, ALICE)).toBe(false);
  });

  test("the same user id in another workspace is another person", () => {
    const job = messageJob({ type: "message", user: ALICE }, "T2");
    expect(jobOfUser(job, TEAM, ALICE)).toBe(false);
    expect(jobOfTeam(job, "T2")).toBe(true);
    expect(jobOfTeam(job, TEAM)).toBe(false);
  });

  test("data without a team or deeper than the walk's bound matches nothing", () => {
    expect(jobOfUser({ user: ALICE }, TEAM, ALICE)).toBe(false);
    let deep: Record<string, unknown> = { user: ALICE };
    for (let i = 0; i < 20; i += 1) deep = { inner: deep };
    expect(authoredBy(deep, ALICE)).toBe(false);
    expect(authoredBy(null, ALICE)).toBe(false);
    expect(authoredBy([{ user: ALICE }], ALICE)).toBe(true);
  });
});

describe("which jobs carry one message", () => {
  const ts = "1700000000.000100";

  test("the posting, an edit of it and its deletion carry it", () => {
    const posted = { type: "message", channel: "C1", ts, user: ALICE };
    expect(jobOfMessage(messageJob(posted), TEAM, "C1", ts)).toBe(true);
    const edit = {
      type: "message",
      channel: "C1",
      ts: "1700000099.000000",
      subtype: "message_changed",
      message: { ts, user: ALICE },
    };
    expect(jobOfMessage(messageJob(edit), TEAM, "C1", ts)).toBe(true);
    const deletion = { type: "message", channel: "C1", deleted_ts: ts };
    expect(jobOfMessage(messageJob(deletion), TEAM, "C1", ts)).toBe(true);
  });

  test("the same ts in another channel, or a reply in its thread, is another message", () => {
    const elsewhere = { type: "message", channel: "C2", ts, user: ALICE };
    expect(jobOfMessage(messageJob(elsewhere), TEAM, "C1", ts)).toBe(false);
    const reply = { type: "message", channel: "C1", ts: "1700000200.000000", thread_ts: ts };
    expect(jobOfMessage(messageJob(reply), TEAM, "C1", ts)).toBe(false);
  });
});
