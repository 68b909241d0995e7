/**
 * Makes sure the directory knows a message's conversation and author before the message is
 * stored: read from the (cached) directory, asking Slack only when something is missing.
 */
import type { DirectoryChannel } from "../../ports/directory";
import type { ChannelVisibility } from "../../ports/slack-vocabulary";
import type { DirectoryDeps } from "./deps";

/** A workspace row before anything that belongs to it (a command may be the first we hear of it). */
export async function ensureWorkspace(deps: DirectoryDeps, teamId: string): Promise<void> {
  if (!(await deps.directory.getWorkspace(teamId))) {
    await deps.directory.upsertWorkspace({ teamId });
  }
}

/**
 * The conversation's directory row, made or completed when needed. Once the directory knows a
 * conversation, its visibility changes only through a conversion (`setChannelVisibility`): a
 * message event's `channel_type` may be stale (a delivery from before the conversion arriving
 * after it), so when it disagrees, Slack's current word decides, and without it the more
 * private of the two stands. A wrong guess can only hide a memory, never leak one.
 */
export async function ensureChannel(
  deps: DirectoryDeps,
  teamId: string,
  channelId: string,
  visibility: ChannelVisibility | null,
): Promise<DirectoryChannel> {
  const known = await deps.directory.getChannel(teamId, channelId);
  if (known && (visibility === null || known.visibility === visibility) && known.name !== null) {
    return known;
  }
  // A disagreement is settled by Slack's current word, never by a cached copy of an old one.
  const info = await deps.slack.conversationInfo(teamId, channelId, { fresh: known !== undefined });
  if (known) {
    const current = info?.visibility ?? mostPrivate(known.visibility, visibility);
    if (current !== known.visibility) {
      await deps.directory.setChannelVisibility(teamId, channelId, current);
    }
    return deps.directory.upsertChannel({
      teamId,
      channelId,
      visibility: current,
      name: info?.name ?? known.name,
      isArchived: info?.isArchived ?? known.isArchived,
    });
  }
  // Without Slack's word, a conversation is treated as the most private kind its id allows.
  const resolved = info?.visibility ?? visibility ?? guessVisibility(channelId);
  return deps.directory.upsertChannel({
    teamId,
    channelId,
    visibility: resolved,
    name: info?.name ?? null,
    isArchived: info?.isArchived ?? false,
  });
}

const OPENNESS: Record<ChannelVisibility, number> = {
  public_channel: 3,
  private_channel: 2,
  group_dm: 1,
  dm: 0,
};

function mostPrivate(a: ChannelVisibility, b: ChannelVisibility | null): ChannelVisibility {
  return b !== null && OPENNESS[b] < OPENNESS[a] ? b : a;
}

function guessVisibility(channelId: string): ChannelVisibility {
  if (channelId.startsWith("D")) return "dm";
  return "private_channel";
}

export async function ensureUser(
  deps: DirectoryDeps,
  teamId: string,
  userId: string,
): Promise<void> {
  const known = await deps.directory.getUser(teamId, userId);
  if (known && known.name !== null) return;
  const info = await deps.slack.userInfo(teamId, userId);
  await deps.directory.upsertUser({
    teamId,
    userId,
    name: info?.name ?? null,
    displayName: info?.displayName ?? null,
    realName: info?.realName ?? null,
    role: info?.isOwner ? "owner" : info?.isAdmin ? "admin" : "member",
    isBot: info?.isBot ?? false,
  });
}
