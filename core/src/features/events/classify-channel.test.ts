import { describe, expect, test } from "bun:test";
import * as channels from "../../../../test/fixtures/slack/channel-events";
import { delivery } from "../../../../test/fixtures/slack/message-events";
import { GENERAL_CHANNEL, PUP_USER_ID, TEAM_ID } from "../../../../test/fixtures/slack/workspace";
import { classifyEvent } from "./classify";

describe("deliveries about a conversation", () => {
  test("a channel made private, then public again", () => {
    expect(classifyEvent(channels.convertedToPrivate, PUP_USER_ID)).toEqual({
      kind: "channel_visibility",
      teamId: TEAM_ID,
      channelId: GENERAL_CHANNEL,
      visibility: "private_channel",
    });
    expect(classifyEvent(channels.convertedToPublic, PUP_USER_ID)).toMatchObject({
      kind: "channel_visibility",
      visibility: "public_channel",
    });
  });

  test("an id change, a share and an unshare", () => {
    expect(classifyEvent(channels.channelIdChanged, PUP_USER_ID)).toEqual({
      kind: "channel_id_changed",
      teamId: TEAM_ID,
      oldChannelId: "G012Y48650T",
      newChannelId: "C012Y48650T",
    });
    expect(classifyEvent(channels.channelShared, PUP_USER_ID)).toEqual({
      kind: "channel_shared",
      teamId: TEAM_ID,
      channelId: GENERAL_CHANNEL,
      shared: true,
    });
    expect(classifyEvent(channels.channelUnshared, PUP_USER_ID)).toMatchObject({ shared: false });
    const stillShared = delivery("Ev0STILLSHARED", {
      ...channels.channelUnshared.event,
      is_ext_shared: true,
    });
    expect(classifyEvent(stillShared, PUP_USER_ID)).toMatchObject({ shared: true });
  });

  test("an id change naming one id is ignored", () => {
    const broken = delivery("Ev0BROKENIDCHG", { type: "channel_id_changed", old_channel_id: "G1" });
    expect(classifyEvent(broken, PUP_USER_ID)).toMatchObject({ kind: "ignored" });
  });
});
