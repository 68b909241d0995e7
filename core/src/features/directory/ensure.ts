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
  const info = await deps.slack.conversationInfo(teamId, channelId);
  // Without Slack's word, a conversation is treated as the most private kind its id allows: a
  // wrong guess can only hide a memory, never leak one.
  const resolved =
    visibility ?? info?.visibility ?? known?.visibility ?? guessVisibility(channelId);
  return deps.directory.upsertChannel({
    teamId,
    channelId,
    visibility: resolved,
    name: info?.name ?? known?.name ?? null,
    isArchived: info?.isArchived ?? false,
  });
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
