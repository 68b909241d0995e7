/**
 * Events about a conversation itself rather than a message in it, which decide where what was
 * said there may be recalled (CONTRACT.md, "Who may see what"): its id changing (a private
 * channel shared through Slack Connect gets a new one, `channel_id_changed`) and it being shared
 * with another organisation or no longer (`channel_shared` / `channel_unshared`). A channel made
 * private or public arrives as a `message` with subtype `channel_convert_to_private` /
 * `channel_convert_to_public` (./inner-events.ts). Lenient, like every read schema.
 */
import * as v from "valibot";
import { nonEmptyText, slackIdRef } from "./fields";

/** Event types about a conversation that pup acts on. */
export const CHANNEL_EVENT_TYPES = [
  "channel_id_changed",
  "channel_shared",
  "channel_unshared",
] as const;

/** Message subtypes Slack posts when a channel is made private or public. */
export const CHANNEL_CONVERSION_SUBTYPES = [
  "channel_convert_to_private",
  "channel_convert_to_public",
] as const;

/** What every inner event offers the event log (./event-log-fields.ts), and the event time. */
const channelEventFields = {
  user: slackIdRef,
  channel: slackIdRef,
  team: nonEmptyText,
  event_ts: nonEmptyText,
};

/** `old_channel_id` is now `new_channel_id`, for good. */
export const channelIdChangedEventSchema = v.object({
  ...channelEventFields,
  type: v.literal("channel_id_changed"),
  old_channel_id: nonEmptyText,
  new_channel_id: nonEmptyText,
});

/** `channel` is shared with (`connected_team_id`) or no longer with another organisation. */
export const channelSharingEventSchema = v.object({
  ...channelEventFields,
  type: v.picklist(["channel_shared", "channel_unshared"]),
  connected_team_id: nonEmptyText,
  previously_connected_team_id: nonEmptyText,
  /** On `channel_unshared`: whether other organisations still share it. */
  is_ext_shared: v.fallback(v.optional(v.boolean()), undefined),
});

export type ChannelIdChangedEvent = v.InferOutput<typeof channelIdChangedEventSchema>;
export type ChannelSharingEvent = v.InferOutput<typeof channelSharingEventSchema>;
export type ChannelEvent = ChannelIdChangedEvent | ChannelSharingEvent;
