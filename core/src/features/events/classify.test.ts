import { describe, expect, test } from "bun:test";
import {
  appMention,
  delivery,
  directMessage,
  messageChanged,
  messageDeleted,
  otherBotMessage,
  ownMessage,
  threadReply,
} from "../../../../test/fixtures/slack/message-events";
import {
  assistantThreadStarted,
  reactionAdded,
  unsubscribedEvent,
} from "../../../../test/fixtures/slack/other-events";
import {
  ALICE,
  BOB,
  DM_WITH_PUP,
  GENERAL_CHANNEL,
  PUP_USER_ID,
  TEAM_ID,
} from "../../../../test/fixtures/slack/workspace";
import {
  type IncomingMessage,
  slackTsToDate,
  withoutPupMention,
} from "../../shared/incoming-message";
import { classifyEvent, decideReply } from "./classify";

const messageOf = (envelope: unknown): IncomingMessage => {
  const classified = classifyEvent(envelope, PUP_USER_ID);
  if (classified.kind !== "message") throw new Error(`expected a message, got ${classified.kind}`);
  return classified.message;
};

describe("classifying Slack events", () => {
  test("an app_mention is a message that mentions pup, visibility unknown", () => {
    expect(messageOf(appMention)).toEqual({
      teamId: TEAM_ID,
      channelId: GENERAL_CHANNEL,
      visibility: null,
      ts: "1531420618.000100",
      threadTs: null,
      userId: ALICE,
      text: `<@${PUP_USER_ID}> what did we decide about the offsite?`,
      postedAt: new Date(1531420618000),
      mentionsPup: true,
    });
  });

  test("a DM carries its visibility; a thread reply its root", () => {
    expect(messageOf(directMessage)).toMatchObject({
      channelId: DM_WITH_PUP,
      visibility: "dm",
      mentionsPup: false,
    });
    const reply = messageOf(threadReply);
    expect(reply.threadTs).not.toBeNull();
    expect(reply.threadTs).not.toBe(reply.ts);
    expect(reply.visibility).toBe("public_channel");
  });

  test("a thread root (thread_ts equal to ts) is not in a thread", () => {
    const root = delivery("Ev0ROOT", {
      type: "message",
      channel_type: "group",
      user: ALICE,
      text: "root",
      ts: "1700000000.000100",
      thread_ts: "1700000000.000100",
      channel: "G0PRIVATE",
      event_ts: "1700000000.000100",
    });
    expect(messageOf(root)).toMatchObject({ threadTs: null, visibility: "private_channel" });
  });

  test("edits and deletions name the message they change", () => {
    // With what is needed to store the message if the edit or deletion arrives before it.
    expect(classifyEvent(messageChanged, PUP_USER_ID)).toMatchObject({
      kind: "message_changed",
      teamId: TEAM_ID,
      ts: "1531420618.000100",
      text: "what did we decide about the offsite in May?",
      original: { userId: ALICE, threadTs: null, visibility: "public_channel" },
    });
    expect(classifyEvent(messageDeleted, PUP_USER_ID)).toMatchObject({
      kind: "message_deleted",
      ts: "1531420630.000400",
      original: { userId: BOB, threadTs: null, visibility: "public_channel" },
    });
  });

  test("pup's own and other bots' messages, unknown events and junk are ignored", () => {
    expect(classifyEvent(ownMessage, PUP_USER_ID).kind).toBe("ignored");
    expect(classifyEvent(otherBotMessage, PUP_USER_ID).kind).toBe("ignored");
    expect(classifyEvent(unsubscribedEvent, PUP_USER_ID).kind).toBe("ignored");
    for (const junk of [null, 1, "x", {}, { event: {} }, { team_id: "T1", event: "x" }]) {
      expect(classifyEvent(junk, PUP_USER_ID).kind).toBe("ignored");
    }
  });

  test("every reason to ignore an event is named as before", () => {
    const event = (inner: Record<string, unknown>) => ({ team_id: TEAM_ID, event: inner });
    const message = { type: "message", channel: GENERAL_CHANNEL, user: ALICE, ts: "1.1" };
    const cases: [unknown, string][] = [
      [null, "not an event callback"],
      [[], "not an event callback"],
      [{ team_id: TEAM_ID }, "not an event callback"],
      [{ team_id: TEAM_ID, event: [] }, "not an event callback"],
      [{ event: { type: "message" } }, "not an event callback"],
      [event({}), "event type (none) needs no work"],
      [event({ type: "" }), "event type (none) needs no work"],
      [unsubscribedEvent, "event type emoji_changed needs no work"],
      [event({ type: "assistant_thread_started", assistant_thread: {} }), "bad assistant thread"],
      [event({ type: "reaction_added", user: ALICE, reaction: "x" }), "reaction not on a message"],
      [
        event({ type: "app_home_opened", user: ALICE, tab: "messages" }),
        "app home tab other than home",
      ],
      [event({ type: "app_home_opened", user: ALICE, tab: null }), "app home tab other than home"],
      [event({ ...message, channel: { id: GENERAL_CHANNEL } }), "message without a channel"],
      [event({ ...message, subtype: "message_changed", message: "x" }), "edit without a message"],
      [event({ ...message, subtype: "message_deleted" }), "deletion without a ts"],
      [otherBotMessage, "message subtype bot_message"],
      [event({ ...message, user: { id: ALICE } }), "message without a user or ts"],
      [event({ ...message, ts: "" }), "message without a user or ts"],
      [ownMessage, "pup's own message"],
      [event({ ...message, bot_id: 0 }), "another bot's message"],
    ];
    for (const [envelope, reason] of cases) {
      expect(classifyEvent(envelope, PUP_USER_ID)).toEqual({ kind: "ignored", reason });
    }
  });

  test("the team may come from the inner event; a deletion without a ts uses previous_message", () => {
    const inner = { type: "message", channel: GENERAL_CHANNEL, user: ALICE, ts: "1.1", team: "T2" };
    expect(messageOf({ event: inner }).teamId).toBe("T2");
    const deleted = {
      team_id: TEAM_ID,
      event: {
        type: "message",
        subtype: "message_deleted",
        channel: GENERAL_CHANNEL,
        previous_message: { ts: "1.1", thread_ts: "1.0", user: BOB },
      },
    };
    expect(classifyEvent(deleted, PUP_USER_ID)).toMatchObject({
      kind: "message_deleted",
      ts: "1.1",
      original: { userId: BOB, threadTs: "1.0", visibility: null },
    });
  });

  test("assistant threads, reactions", () => {
    expect(classifyEvent(assistantThreadStarted, PUP_USER_ID)).toMatchObject({
      kind: "assistant_thread_started",
      teamId: TEAM_ID,
    });
    expect(classifyEvent(reactionAdded, PUP_USER_ID)).toMatchObject({
      kind: "reaction",
      added: true,
    });
  });

  test("a plain message that mentions pup in its text counts as a mention", () => {
    const envelope = delivery("Ev0MENTIONTXT", {
      type: "message",
      channel_type: "channel",
      user: ALICE,
      text: `thanks <@${PUP_USER_ID}>!`,
      ts: "1700000001.000100",
      channel: GENERAL_CHANNEL,
      event_ts: "1700000001.000100",
    });
    expect(messageOf(envelope).mentionsPup).toBe(true);
  });
});

describe("deciding whether pup answers", () => {
  const base = messageOf(threadReply);
  const quiet = { pupInThread: false, assistantThread: false };

  test("mentions, DMs, threads pup is in and assistant threads are answered", () => {
    expect(decideReply({ ...base, mentionsPup: true }, quiet)).toEqual({
      reply: true,
      reason: "mention",
    });
    expect(decideReply({ ...base, threadTs: null, visibility: "dm" }, quiet).reason).toBe(
      "direct_message",
    );
    expect(decideReply(base, { ...quiet, pupInThread: true }).reason).toBe("thread_with_pup");
    expect(decideReply(base, { ...quiet, assistantThread: true }).reason).toBe("assistant_thread");
  });

  test("anything else in a channel is only remembered", () => {
    expect(decideReply(base, quiet)).toEqual({ reply: false, reason: "not_addressed" });
    expect(decideReply({ ...base, threadTs: null }, { ...quiet, pupInThread: true }).reply).toBe(
      false,
    );
  });
});

test("helpers", () => {
  expect(slackTsToDate("1700000000.123456").getTime()).toBe(1700000000123);
  expect(Number.isNaN(slackTsToDate("nope").getTime())).toBe(true);
  expect(withoutPupMention(`<@${PUP_USER_ID}>  what is   up?`, PUP_USER_ID)).toBe("what is up?");
});
