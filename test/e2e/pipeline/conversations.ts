/**
 * Fresh conversations in a workspace of a test's own, and the Events API deliveries for what
 * people do in them (edit, delete), for the memory end-to-end tests. The local Slack holds the
 * conversations of every workspace; ids follow Slack's prefixes (C public, G private, D DM).
 */
import type { Redis } from "ioredis";
import { ALICE, BOB, type Pipeline, PUP } from "./harness";

export type ConversationKind = "public" | "private" | "im";

/** A workspace id no other test uses, e.g. `T0EDITX3K9QZ`. */
export function newTeamId(tag: string): string {
  return `T0${tag}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
}

/** A fresh conversation: channels have Alice, Bob and pup; a DM is Alice's with pup. */
export function newConversation(pipeline: Pipeline, kind: ConversationKind = "public"): string {
  const letter = kind === "public" ? "C" : kind === "private" ? "G" : "D";
  const id = `${letter}0${crypto.randomUUID().replaceAll("-", "").slice(0, 9).toUpperCase()}`;
  pipeline.slack.addChannel(
    kind === "im"
      ? { id, name: id, visibility: "im", user: ALICE }
      : { id, name: id.toLowerCase(), visibility: kind, members: [ALICE, BOB, PUP] },
  );
  return id;
}

/** The `channel_type` Slack puts on message events in this conversation. */
export function channelTypeOf(channel: string): "channel" | "group" | "im" {
  return channel.startsWith("D") ? "im" : channel.startsWith("G") ? "group" : "channel";
}

/** An `event_callback` envelope for `event` in `channel` of `teamId`. */
export function envelopeOf(
  teamId: string,
  channel: string,
  event: Record<string, unknown>,
): Record<string, unknown> {
  return {
    token: "unused",
    team_id: teamId,
    api_app_id: "A0FAKEAPP1",
    event: { channel, channel_type: channelTypeOf(channel), ...event },
    type: "event_callback",
    event_id: `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: PUP, is_bot: true, is_enterprise_install: false }],
  };
}

/** Edits the message in the local Slack and returns the `message_changed` delivery. */
export function editEvent(
  pipeline: Pipeline,
  teamId: string,
  channel: string,
  ts: string,
  text: string,
  user = BOB,
): Record<string, unknown> {
  const message = pipeline.slack.workspace.updateMessage(channel, ts, { text }, user);
  const editedTs = message.edited?.ts ?? ts;
  return envelopeOf(teamId, channel, {
    type: "message",
    subtype: "message_changed",
    hidden: true,
    message: { type: "message", user, text, ts, edited: { user, ts: editedTs } },
    previous_message: { type: "message", user, ts },
    ts: editedTs,
    event_ts: editedTs,
  });
}

/** The `message_deleted` delivery for a message. */
export function deleteEvent(teamId: string, channel: string, ts: string): Record<string, unknown> {
  const now = `${(Date.now() / 1000).toFixed(6)}`;
  return envelopeOf(teamId, channel, {
    type: "message",
    subtype: "message_deleted",
    hidden: true,
    deleted_ts: ts,
    previous_message: { type: "message", ts },
    ts: now,
    event_ts: now,
  });
}

/**
 * Deletes short-term memory's keys (`<redisPrefix>:stm:*`) of one pipeline only: never FLUSHALL,
 * other tests share the Redis server. Returns how many keys went.
 */
export async function flushShortTerm(redis: Redis, redisPrefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:stm:*`, "COUNT", 1000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  return deleted;
}
