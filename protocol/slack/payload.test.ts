import { describe, expect, test } from "bun:test";
import { pupMoodCommand } from "../../test/fixtures/slack/commands";
import * as interactions from "../../test/fixtures/slack/interactions";
import * as messages from "../../test/fixtures/slack/message-events";
import * as others from "../../test/fixtures/slack/other-events";
import {
  ALICE,
  BOB,
  DM_WITH_PUP,
  GENERAL_CHANNEL,
  OTHER_BOT_ID,
  PUP_USER_ID,
  TEAM_ID,
} from "../../test/fixtures/slack/workspace";
import {
  type ForwardedInnerEvent,
  isHandledInnerEvent,
  isMessageChangedEvent,
  isMessageDeletedEvent,
  parseSlackPayload,
  type SlackPayloadKind,
  slackEventLogFields,
} from ".";

/** The inner event of a forwarded `event_callback`, read by the model. */
function innerEvent(payload: unknown): ForwardedInnerEvent {
  const parsed = parseSlackPayload("event", payload);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const { event } = parsed.payload.envelope;
  if (!event) throw new Error("no inner event");
  return event;
}

describe("parseSlackPayload: valid payloads of each kind", () => {
  test("an event_callback reads as an event, its inner event told apart by type", () => {
    const parsed = parseSlackPayload("event", messages.appMention);
    expect(parsed).toEqual({
      ok: true,
      payload: {
        kind: "event",
        envelope: {
          type: "event_callback",
          team_id: TEAM_ID,
          event_id: messages.appMention.event_id,
          event: {
            type: "app_mention",
            user: ALICE,
            channel: GENERAL_CHANNEL,
            text: messages.appMention.event.text,
            ts: "1531420618.000100",
            event_ts: "1531420618.000100",
          },
        },
      },
    });
  });

  test("each inner event type pup handles reads with its own fields", () => {
    const changed = innerEvent(messages.messageChanged);
    expect(isHandledInnerEvent(changed)).toBe(true);
    if (!isHandledInnerEvent(changed) || changed.type !== "message") throw new Error("message");
    expect(isMessageChangedEvent(changed)).toBe(true);
    expect(changed).toMatchObject({
      subtype: "message_changed",
      channel_type: "channel",
      message: {
        ts: "1531420618.000100",
        user: ALICE,
        text: "what did we decide about the offsite in May?",
        edited: { ts: "1531420640.000000" },
      },
    });

    const deleted = innerEvent(messages.messageDeleted);
    if (!isHandledInnerEvent(deleted) || deleted.type !== "message") throw new Error("message");
    expect(isMessageDeletedEvent(deleted)).toBe(true);
    expect(isMessageChangedEvent(deleted)).toBe(false);
    expect(deleted).toMatchObject({
      deleted_ts: "1531420630.000400",
      previous_message: { user: BOB },
    });

    expect(innerEvent(messages.otherBotMessage)).toMatchObject({
      type: "message",
      subtype: "bot_message",
      bot_id: OTHER_BOT_ID,
    });
    expect(innerEvent(messages.threadReply)).toMatchObject({
      thread_ts: "1531420618.000100",
      channel_type: "channel",
    });
    expect(innerEvent(others.reactionAdded)).toEqual({
      type: "reaction_added",
      user: ALICE,
      reaction: "tada",
      item_user: PUP_USER_ID,
      item: { type: "message", channel: GENERAL_CHANNEL, ts: "1531420670.000800" },
    });
    expect(innerEvent(others.assistantThreadStarted)).toEqual({
      type: "assistant_thread_started",
      assistant_thread: {
        channel_id: DM_WITH_PUP,
        thread_ts: "1531420700.000900",
        user_id: ALICE,
      },
    });
    const home = messages.delivery("Ev0HOME", {
      type: "app_home_opened",
      user: ALICE,
      tab: "home",
    });
    expect(innerEvent(home)).toEqual({ type: "app_home_opened", user: ALICE, tab: "home" });
  });

  test("any other event type reads as a generic inner event pup does not handle", () => {
    const other = innerEvent(others.unsubscribedEvent);
    expect(other).toEqual({ type: "emoji_changed" });
    expect(isHandledInnerEvent(other)).toBe(false);
    const joined = innerEvent(
      messages.delivery("Ev0JOINED", {
        type: "member_joined_channel",
        user: ALICE,
        channel: GENERAL_CHANNEL,
      }),
    );
    expect(joined).toEqual({
      type: "member_joined_channel",
      user: ALICE,
      channel: GENERAL_CHANNEL,
    });
    expect(isHandledInnerEvent(joined)).toBe(false);
  });

  test("a slash command reads as a command", () => {
    expect(parseSlackPayload("command", pupMoodCommand)).toEqual({
      ok: true,
      payload: {
        kind: "command",
        command: {
          command: "/pup",
          text: "mood",
          team_id: TEAM_ID,
          channel_id: GENERAL_CHANNEL,
          user_id: ALICE,
          response_url: pupMoodCommand.response_url,
          trigger_id: pupMoodCommand.trigger_id,
        },
      },
    });
  });

  test("each interaction type reads as an interaction of that type", () => {
    const { blockSuggestion, ...forwarded } = interactions;
    for (const fixture of [...Object.values(forwarded), blockSuggestion]) {
      const parsed = parseSlackPayload("interaction", fixture);
      if (!parsed.ok) throw new Error(parsed.problems.join("; "));
      expect(parsed.payload.kind).toBe("interaction");
      expect(parsed.payload.interaction).toMatchObject({
        type: fixture.type,
        team: { id: TEAM_ID },
        user: { id: ALICE, team_id: TEAM_ID },
      });
    }
    const parsed = parseSlackPayload("interaction", interactions.blockActions);
    expect(parsed.ok && parsed.payload.interaction).toMatchObject({
      type: "block_actions",
      channel: { id: GENERAL_CHANNEL },
      container: { channel_id: GENERAL_CHANNEL },
      actions: [{ action_id: "forget_me_confirm", block_id: "forget_me", value: "confirm" }],
    });
    const submission = parseSlackPayload("interaction", interactions.viewSubmission);
    expect(submission.ok && submission.payload.interaction).toMatchObject({
      view: { id: "V0REMEMBER1", callback_id: "remember_modal" },
    });
  });

  test("reading copies only the fields pup reads and leaves the payload untouched", () => {
    const payload = structuredClone(messages.appMention);
    const parsed = parseSlackPayload("event", payload);
    expect(payload).toEqual(messages.appMention);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect(parsed.payload.envelope).not.toHaveProperty("authorizations");
    expect(parsed.payload.envelope.event).not.toHaveProperty("client_msg_id");
  });
});

describe("parseSlackPayload: invalid payloads of each kind", () => {
  const kinds: SlackPayloadKind[] = ["event", "command", "interaction"];

  test("anything but a JSON object is refused, the problem named", () => {
    for (const kind of kinds) {
      for (const payload of [undefined, null, 42, "text=hi", true, [], [messages.appMention]]) {
        expect(parseSlackPayload(kind, payload)).toEqual({
          ok: false,
          problems: ["payload must be a JSON object"],
        });
      }
    }
  });

  test("core stays lenient: malformed fields read as absent instead of refusing the payload", () => {
    // The edge refused malformed bodies already; core keeps accepting what it always accepted.
    const junkEvent = parseSlackPayload("event", {
      team_id: 7,
      event: {
        type: "message",
        user: 42,
        channel: "",
        ts: null,
        text: 5,
        bot_id: 0,
        subtype: "",
      },
    });
    expect(junkEvent).toEqual({
      ok: true,
      payload: {
        kind: "event",
        envelope: {
          team_id: undefined,
          event: {
            type: "message",
            user: undefined,
            channel: undefined,
            ts: undefined,
            text: undefined,
            // Present but not a string: still "set", so still a bot's message.
            bot_id: "",
            subtype: undefined,
          },
        },
      },
    });
    for (const event of [undefined, "x", [], null]) {
      const parsed = parseSlackPayload("event", { team_id: TEAM_ID, event });
      expect(parsed.ok && parsed.payload.envelope.event).toBeUndefined();
    }
    expect(innerEvent({ event: {} })).toEqual({});
    expect(innerEvent({ event: { type: 42 } })).toEqual({ type: undefined });
    expect(innerEvent({ event: { type: "user_change", user: { id: "U7" } } })).toEqual({
      type: "user_change",
      user: { id: "U7" },
    });
    expect(
      innerEvent({ event: { type: "message", subtype: "message_changed", message: [] } }),
    ).toEqual({ type: "message", subtype: "message_changed", message: undefined });
    expect(innerEvent({ event: { type: "app_home_opened", tab: null } })).toEqual({
      type: "app_home_opened",
      tab: "",
    });

    expect(parseSlackPayload("command", {})).toEqual({
      ok: true,
      payload: { kind: "command", command: {} },
    });
    expect(parseSlackPayload("command", { command: "/pup", text: "", user_id: 9 })).toEqual({
      ok: true,
      payload: {
        kind: "command",
        command: { command: "/pup", text: undefined, user_id: undefined },
      },
    });

    const interaction = parseSlackPayload("interaction", {
      type: "block_actions",
      team: null,
      user: "U1",
      channel: ["C1"],
      actions: [null, { action_id: 3 }, { action_id: "a" }],
    });
    expect(interaction.ok && interaction.payload.interaction).toEqual({
      type: "block_actions",
      team: undefined,
      user: undefined,
      channel: undefined,
      actions: [{}, { action_id: undefined }, { action_id: "a" }],
    });
    const untyped = parseSlackPayload("interaction", { type: 5, actions: "a" });
    expect(untyped.ok && untyped.payload.interaction).toEqual({
      type: undefined,
      actions: undefined,
    });
  });
});

describe("slackEventLogFields", () => {
  function fieldsOf(kind: SlackPayloadKind, payload: unknown) {
    const parsed = parseSlackPayload(kind, payload);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    return slackEventLogFields(parsed.payload);
  }

  test("events: team_id, event.type, event.user, event.channel", () => {
    expect(fieldsOf("event", messages.appMention)).toEqual({
      teamId: TEAM_ID,
      eventType: "app_mention",
      userId: ALICE,
      channelId: GENERAL_CHANNEL,
    });
    // A reaction names its channel in `item`, not in `event.channel`.
    expect(fieldsOf("event", others.reactionAdded)).toEqual({
      teamId: TEAM_ID,
      eventType: "reaction_added",
      userId: ALICE,
      channelId: undefined,
    });
    expect(
      fieldsOf("event", {
        event: { type: "user_change", user: { id: "U7" }, channel: { id: "C7" } },
      }),
    ).toEqual({ teamId: undefined, eventType: "user_change", userId: "U7", channelId: "C7" });
    // An edit and a deletion are filed under the message's author, whom `event.user` omits.
    expect(fieldsOf("event", messages.messageChanged).userId).toBe(ALICE);
    expect(fieldsOf("event", messages.messageDeleted).userId).toBe(BOB);
    const tombstone = {
      team_id: TEAM_ID,
      event: {
        type: "message",
        subtype: "message_changed",
        channel: GENERAL_CHANNEL,
        message: { type: "message", subtype: "tombstone", user: "USLACKBOT", ts: "1.000100" },
        previous_message: { type: "message", user: BOB, ts: "1.000100" },
      },
    };
    expect(fieldsOf("event", tombstone).userId).toBe(BOB);
    const unnamed = { team_id: TEAM_ID, event: { type: "message", subtype: "message_deleted" } };
    expect(fieldsOf("event", unnamed).userId).toBeUndefined();
    expect(fieldsOf("event", { team_id: TEAM_ID, event: { type: "" } }).eventType).toBeUndefined();
    expect(fieldsOf("event", { team_id: TEAM_ID }).eventType).toBeUndefined();
  });

  test("commands: team_id, command, user_id, channel_id", () => {
    expect(fieldsOf("command", pupMoodCommand)).toEqual({
      teamId: TEAM_ID,
      eventType: "/pup",
      userId: ALICE,
      channelId: GENERAL_CHANNEL,
    });
    expect(fieldsOf("command", { command: "" }).eventType).toBeUndefined();
  });

  test("interactions: team.id or user.team_id, type, user.id, channel.id or container.channel_id", () => {
    expect(fieldsOf("interaction", interactions.blockActions)).toEqual({
      teamId: TEAM_ID,
      eventType: "block_actions",
      userId: ALICE,
      channelId: GENERAL_CHANNEL,
    });
    expect(
      fieldsOf("interaction", {
        type: "block_actions",
        team: null,
        user: { id: "U5", team_id: "T5" },
        container: { type: "message", channel_id: "C5" },
      }),
    ).toEqual({ teamId: "T5", eventType: "block_actions", userId: "U5", channelId: "C5" });
    expect(fieldsOf("interaction", interactions.viewSubmission).channelId).toBeUndefined();
    expect(fieldsOf("interaction", { type: "" }).eventType).toBeUndefined();
  });
});
