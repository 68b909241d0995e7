import { describe, expect, test } from "bun:test";
import * as messages from "../../../test/fixtures/slack/message-events";
import * as others from "../../../test/fixtures/slack/other-events";
import { inboundEvent } from "../slack/inbound";
import { costsAReply } from "./costs";

const withEvent = (event: Record<string, unknown>) =>
  inboundEvent({ ...messages.appMention, event: { type: "message", ...event } });

describe("costsAReply", () => {
  test("mentions and DMs to pup (with or without a file) count", () => {
    expect(costsAReply(inboundEvent(messages.appMention))).toBe(true);
    expect(costsAReply(inboundEvent(messages.directMessage))).toBe(true);
    expect(costsAReply(withEvent({ channel_type: "im", subtype: "file_share" }))).toBe(true);
  });

  test("what only keeps memory true never counts", () => {
    for (const delivery of [
      messages.threadReply,
      messages.messageChanged,
      messages.messageDeleted,
      others.reactionAdded,
      others.assistantThreadStarted,
    ]) {
      expect(costsAReply(inboundEvent(delivery))).toBe(false);
    }
    expect(costsAReply(withEvent({ channel_type: "channel" }))).toBe(false);
    // An edit or deletion inside a DM is still an edit or a deletion.
    expect(costsAReply(withEvent({ channel_type: "im", subtype: "message_deleted" }))).toBe(false);
    expect(
      costsAReply(withEvent({ channel_type: "group", subtype: "channel_convert_to_private" })),
    ).toBe(false);
    expect(
      costsAReply(inboundEvent({ ...messages.appMention, event: { type: "app_uninstalled" } })),
    ).toBe(false);
    expect(
      costsAReply(inboundEvent({ ...messages.appMention, event: { type: "tokens_revoked" } })),
    ).toBe(false);
  });

  test("commands and interactions always count", () => {
    const base = inboundEvent(messages.appMention);
    expect(costsAReply({ ...base, kind: "command" })).toBe(true);
    expect(costsAReply({ ...base, kind: "interaction" })).toBe(true);
  });
});
