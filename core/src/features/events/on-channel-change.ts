/**
 * A conversation changed in a way that moves where what was said there may be recalled
 * (CONTRACT.md, "Who may see what"; ADR-022): made private or public, given a new id, shared with
 * another organisation or no longer. The directory applies each in one transaction, so recall
 * (which filters on the copy of the visibility on every message) follows at once.
 */
import { ensureChannel, ensureWorkspace } from "../directory";
import type { ChannelChange } from "./classify-channel";
import type { EventsDeps } from "./deps";

export async function onChannelVisibility(
  deps: EventsDeps,
  change: Extract<ChannelChange, { kind: "channel_visibility" }>,
): Promise<void> {
  await ensureWorkspace(deps, change.teamId);
  const moved = await deps.directory.setChannelVisibility(
    change.teamId,
    change.channelId,
    change.visibility,
  );
  deps.logger.info(
    { teamId: change.teamId, channelId: change.channelId, visibility: change.visibility, moved },
    "conversation visibility changed; its messages follow",
  );
}

export async function onChannelIdChanged(
  deps: EventsDeps,
  change: Extract<ChannelChange, { kind: "channel_id_changed" }>,
): Promise<void> {
  const { teamId, oldChannelId, newChannelId } = change;
  await ensureWorkspace(deps, teamId);
  const moved = await deps.directory.moveChannel(teamId, oldChannelId, newChannelId);
  // Slack sends this when a private channel is shared through Slack Connect: read what the
  // conversation is now (never wider than Slack says; ensureChannel).
  await ensureChannel(deps, teamId, newChannelId, null);
  deps.logger.info({ teamId, oldChannelId, newChannelId, moved }, "conversation id changed");
}

export async function onChannelShared(
  deps: EventsDeps,
  change: Extract<ChannelChange, { kind: "channel_shared" }>,
): Promise<void> {
  await ensureWorkspace(deps, change.teamId);
  await ensureChannel(deps, change.teamId, change.channelId, null);
  await deps.directory.setChannelShared(change.teamId, change.channelId, change.shared);
  deps.logger.info(
    { teamId: change.teamId, channelId: change.channelId, shared: change.shared },
    "conversation sharing changed",
  );
}
