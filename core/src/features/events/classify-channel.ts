/**
 * What a delivery about a conversation itself means to pup, decided without I/O: the channel made
 * private or public (a `message` with subtype `channel_convert_to_private` / `_public`), its id
 * changed (`channel_id_changed`), or shared with another organisation or no longer
 * (`channel_shared` / `channel_unshared`). Each changes where what was said there may be
 * recalled (CONTRACT.md, "Who may see what"); on-channel-change.ts carries it into the store.
 */
import { type ChannelEvent, plainSlackId } from "../../../../protocol/slack";
import type { ChannelVisibility } from "../../ports/slack-vocabulary";

export type ChannelChange =
  | { kind: "channel_visibility"; teamId: string; channelId: string; visibility: ChannelVisibility }
  | { kind: "channel_id_changed"; teamId: string; oldChannelId: string; newChannelId: string }
  | { kind: "channel_shared"; teamId: string; channelId: string; shared: boolean }
  | { kind: "ignored"; reason: string };

/** The visibility a conversion message sets, or null for any other subtype. */
export function convertedVisibility(subtype: string | undefined): ChannelVisibility | null {
  if (subtype === "channel_convert_to_private") return "private_channel";
  if (subtype === "channel_convert_to_public") return "public_channel";
  return null;
}

/** Reads one of the channel events (protocol/slack/channel-events.ts). */
export function classifyChannelEvent(teamId: string, event: ChannelEvent): ChannelChange {
  if (event.type === "channel_id_changed") {
    const oldChannelId = event.old_channel_id;
    const newChannelId = event.new_channel_id;
    if (!oldChannelId || !newChannelId || oldChannelId === newChannelId) {
      return { kind: "ignored", reason: "channel id change without two ids" };
    }
    return { kind: "channel_id_changed", teamId, oldChannelId, newChannelId };
  }
  const channelId = plainSlackId(event.channel);
  if (!channelId) return { kind: "ignored", reason: `${event.type} without a channel` };
  // `channel_unshared` with `is_ext_shared` still true: another organisation still shares it.
  const shared = event.type === "channel_shared" || event.is_ext_shared === true;
  return { kind: "channel_shared", teamId, channelId, shared };
}
