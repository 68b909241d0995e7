import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { type EventCallback, eventCallbackSchema } from "../../../protocol/slack";
import * as channels from "../../../test/fixtures/slack/channel-events";
import * as messages from "../../../test/fixtures/slack/message-events";
import * as others from "../../../test/fixtures/slack/other-events";
import { OTHER_BOT_ID, PUP_USER_ID } from "../../../test/fixtures/slack/workspace";
import { decideEvent, ownUserIds } from "./drop-rules";

const parse = (input: unknown): EventCallback => v.parse(eventCallbackSchema, input);

describe("decideEvent", () => {
  test("what people say reaches core", () => {
    for (const delivery of [
      messages.appMention,
      messages.directMessage,
      messages.threadReply,
      others.reactionAdded,
      others.assistantThreadStarted,
    ]) {
      expect(decideEvent(parse(delivery))).toEqual({ action: "forward" });
    }
  });

  test("pup's own messages and other bots' are dropped", () => {
    expect(decideEvent(parse(messages.ownMessage))).toEqual({
      action: "drop",
      reason: "own_event",
    });
    expect(decideEvent(parse(messages.otherBotMessage))).toEqual({
      action: "drop",
      reason: "bot_message",
    });
    // pup's reaction on something is its own event too, even without a bot_id.
    const ownReaction = {
      ...others.reactionAdded,
      event: { ...others.reactionAdded.event, user: PUP_USER_ID },
    };
    expect(decideEvent(parse(ownReaction))).toEqual({ action: "drop", reason: "own_event" });
  });

  test("edits and deletions pass even when a bot made them", () => {
    for (const delivery of [messages.messageChanged, messages.messageDeleted]) {
      const byBot = { ...delivery, event: { ...delivery.event, bot_id: OTHER_BOT_ID } };
      expect(decideEvent(parse(byBot))).toEqual({ action: "forward" });
      const byPup = { ...delivery, event: { ...delivery.event, user: PUP_USER_ID } };
      expect(decideEvent(parse(byPup))).toEqual({ action: "forward" });
    }
  });

  test("changes to a conversation reach core, even when a bot made them (ADR-022)", () => {
    for (const delivery of Object.values(channels)) {
      expect(decideEvent(parse(delivery))).toEqual({ action: "forward" });
    }
    for (const delivery of [channels.convertedToPrivate, channels.convertedToPublic]) {
      const byBot = { ...delivery, event: { ...delivery.event, bot_id: OTHER_BOT_ID } };
      expect(decideEvent(parse(byBot))).toEqual({ action: "forward" });
    }
  });

  test("uninstalls and revoked tokens always reach core (ADR-034)", () => {
    for (const delivery of [
      others.appUninstalled,
      others.botTokenRevoked,
      others.userTokenRevoked,
    ]) {
      expect(decideEvent(parse(delivery))).toEqual({ action: "forward" });
    }
  });

  test("event types pup did not subscribe to are ignored", () => {
    expect(decideEvent(parse(others.unsubscribedEvent))).toEqual({
      action: "ignore",
      reason: "unknown_event_type",
    });
  });

  test("pup is whoever the bot authorizations name; human authorizations are not pup", () => {
    const delivery = parse({
      ...messages.directMessage,
      authorizations: [
        { team_id: "T1", user_id: "U0HUMANINST", is_bot: false },
        { team_id: "T1", user_id: PUP_USER_ID, is_bot: true },
      ],
    });
    expect(ownUserIds(delivery)).toEqual([PUP_USER_ID]);
    const fromInstaller = parse({
      ...delivery,
      event: { ...delivery.event, user: "U0HUMANINST" },
    });
    expect(decideEvent(fromInstaller)).toEqual({ action: "forward" });
    expect(ownUserIds(parse({ ...delivery, authorizations: undefined }))).toEqual([]);
  });
});
