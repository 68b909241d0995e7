import { describe, expect, test } from "bun:test";
import { delivery, messageChanged } from "../../../../test/fixtures/slack/message-events";
import {
  appUninstalled,
  botTokenRevoked,
  userTokenRevoked,
} from "../../../../test/fixtures/slack/other-events";
import {
  ALICE,
  BOB,
  GENERAL_CHANNEL,
  PUP_USER_ID,
  TEAM_ID,
} from "../../../../test/fixtures/slack/workspace";
import { classifyEvent } from "./classify";
import { isLifecycleEvent } from "./classify-lifecycle";

describe("classifying uninstalls (ADR-034)", () => {
  test("app_uninstalled and a revoked bot token stop pup answering the workspace", () => {
    expect(classifyEvent(appUninstalled, PUP_USER_ID)).toEqual({
      kind: "uninstalled",
      teamId: TEAM_ID,
      reason: "app_uninstalled",
    });
    expect(classifyEvent(botTokenRevoked, PUP_USER_ID)).toEqual({
      kind: "uninstalled",
      teamId: TEAM_ID,
      reason: "tokens_revoked",
    });
    // Read without pup's identity too: after an uninstall Slack may refuse auth.test.
    expect(classifyEvent(appUninstalled, null).kind).toBe("uninstalled");
  });

  test("tokens_revoked naming only users' OAuth tokens changes nothing", () => {
    expect(classifyEvent(userTokenRevoked, PUP_USER_ID)).toEqual({
      kind: "ignored",
      reason: "only user tokens revoked",
    });
    for (const tokens of [undefined, {}, { bot: [] }, { bot: "U0PUPBOT01" }, { bot: [7] }]) {
      const revoked = delivery("Ev0ODDREVOKE1", { type: "tokens_revoked", tokens });
      expect(classifyEvent(revoked, PUP_USER_ID).kind).toBe("ignored");
    }
  });

  test("only lifecycle events pass while a workspace is uninstalled", () => {
    expect(isLifecycleEvent({ kind: "event", eventType: "app_uninstalled" })).toBe(true);
    expect(isLifecycleEvent({ kind: "event", eventType: "tokens_revoked" })).toBe(true);
    for (const eventType of ["message", "app_mention", "app_home_opened"]) {
      expect(isLifecycleEvent({ kind: "event", eventType })).toBe(false);
    }
    // A command or an interaction is never one, whatever it is called.
    expect(isLifecycleEvent({ kind: "command", eventType: "app_uninstalled" })).toBe(false);
    expect(isLifecycleEvent({ kind: "interaction", eventType: "tokens_revoked" })).toBe(false);
  });
});

describe("a thread's parent deleted (Slack's tombstone edit)", () => {
  const tombstone = (previous?: Record<string, unknown>) =>
    delivery("Ev0TOMBSTONE01", {
      ...messageChanged.event,
      message: {
        type: "message",
        subtype: "tombstone",
        hidden: true,
        user: "USLACKBOT",
        text: "This message was deleted.",
        ts: "1531420618.000100",
        thread_ts: "1531420618.000100",
        reply_count: 2,
      },
      ...(previous ? { previous_message: previous } : {}),
    });

  test("is a deletion of that message, never its new text", () => {
    const classified = classifyEvent(
      tombstone({ type: "message", user: BOB, text: "the secret", ts: "1531420618.000100" }),
      PUP_USER_ID,
    );
    expect(classified).toMatchObject({
      kind: "message_deleted",
      teamId: TEAM_ID,
      channelId: GENERAL_CHANNEL,
      ts: "1531420618.000100",
      original: { userId: BOB, threadTs: null, visibility: "public_channel" },
    });
    expect(JSON.stringify(classified)).not.toContain("This message was deleted.");
  });

  test("without a previous message, still a deletion", () => {
    expect(classifyEvent(tombstone(), PUP_USER_ID)).toMatchObject({
      kind: "message_deleted",
      ts: "1531420618.000100",
    });
    // An ordinary edit stays an edit.
    expect(classifyEvent(messageChanged, PUP_USER_ID)).toMatchObject({
      kind: "message_changed",
      original: { userId: ALICE },
    });
  });
});
