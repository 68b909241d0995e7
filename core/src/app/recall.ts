/**
 * Recall for replies: the nearest messages by embedding and the best full-text matches, within
 * the one scoped query path (MessageStore's RecallScope: this conversation plus the workspace's
 * public channels), fused by reciprocal rank. Issue 5 refines this (recency, neighbours,
 * near-duplicates); what is here already never crosses a workspace or a private conversation.
 */
import type { MemoryLineInput } from "../domain/memory-line";
import type { DirectoryChannel } from "../ports/directory";
import type { RecalledMessage, StoredMessage } from "../ports/message-store";
import type { PipelineDeps } from "./deps";

/** Reciprocal rank fusion's damping constant (the usual 60). */
const RRF_K = 60;

export interface RecallRequest {
  teamId: string;
  channelId: string;
  query: string;
  /** Timestamps already in the prompt (the live conversation). */
  exclude: Set<string>;
  botUserId: string;
  /** The query's embedding if already known; otherwise the query is embedded here. */
  vector?: number[];
}

/** Fuses ranked lists by reciprocal rank; best first. */
export function fuseByRank(lists: RecalledMessage[][]): StoredMessage[] {
  const scores = new Map<number, { message: StoredMessage; score: number }>();
  for (const list of lists) {
    list.forEach((hit, rank) => {
      const entry = scores.get(hit.message.id) ?? { message: hit.message, score: 0 };
      entry.score += 1 / (RRF_K + rank + 1);
      scores.set(hit.message.id, entry);
    });
  }
  return [...scores.values()].sort((a, b) => b.score - a.score).map((entry) => entry.message);
}

/** Recalled memories for one reply, attributed and ready for the prompt. */
export async function recallMemories(
  deps: Pick<PipelineDeps, "messages" | "embedder" | "directory" | "logger" | "reply">,
  request: RecallRequest,
): Promise<MemoryLineInput[]> {
  if (request.query.trim() === "") return [];
  const scope = {
    teamId: request.teamId,
    fromChannelId: request.channelId,
    limit: deps.reply.recallLimit * 2,
  };
  const [vector] = request.vector
    ? [request.vector]
    : await deps.embedder.embed([request.query]).catch((error: unknown) => {
        deps.logger.warn({ err: error }, "query embedding failed; recalling by text only");
        return [] as number[][];
      });
  const [near, text] = await Promise.all([
    vector ? deps.messages.nearest(scope, vector) : Promise.resolve([]),
    deps.messages.search(scope, request.query),
  ]);
  const fused = fuseByRank([near, text])
    .filter((m) => !request.exclude.has(m.ts) && m.userId !== request.botUserId && !m.botId)
    .slice(0, deps.reply.recallLimit);
  const names = await speakerNames(
    deps,
    request.teamId,
    fused.map((m) => m.userId ?? ""),
  );
  const channels = new Map<string, DirectoryChannel | undefined>();
  const lines: MemoryLineInput[] = [];
  for (const message of fused) {
    if (!channels.has(message.channelId)) {
      channels.set(
        message.channelId,
        await deps.directory.getChannel(request.teamId, message.channelId),
      );
    }
    const channel = channels.get(message.channelId);
    lines.push({
      speaker: message.userId ? (names.get(message.userId) ?? message.userId) : "someone",
      // Named channels by name; DMs and unknown conversations read "a DM" (only ever recalled
      // inside that same conversation).
      channelName:
        channel && channel.visibility !== "dm" && channel.visibility !== "group_dm"
          ? channel.name
          : null,
      postedAt: message.postedAt,
      text: message.text,
    });
  }
  return lines;
}

/** Display names for user ids (directory first; ids stand in for unknown people). */
export async function speakerNames(
  deps: Pick<PipelineDeps, "directory">,
  teamId: string,
  userIds: string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const userId of new Set(userIds.filter((id) => id !== ""))) {
    const user = await deps.directory.getUser(teamId, userId);
    names.set(userId, user?.displayName || user?.realName || user?.name || userId);
  }
  return names;
}

/** How a conversation is named in prompts: `#design`, `a DM`, `a group DM`. */
export function placeName(channel: Pick<DirectoryChannel, "name" | "visibility">): string {
  if (channel.visibility === "dm") return "a DM";
  if (channel.visibility === "group_dm") return "a group DM";
  return channel.name ? `#${channel.name}` : "a channel";
}
