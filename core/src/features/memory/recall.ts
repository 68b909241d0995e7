/**
 * Recall for replies: lexical matches (with the turns around them) and the nearest messages by
 * embedding, within the one scoped query path (MessageStore's RecallScope: this conversation plus
 * the workspace's public channels, or a guest's own; every neighbouring turn passes the same
 * rule in the store), ranked by core/src/features/memory/rank.ts (BM25 over windows
 * of turns, smoothing, vector similarity, recency, the people the query names, near-duplicates
 * removed), then attributed for
 * the prompt with the turns around each memory and its permalink.
 */

import type { DirectoryChannel } from "../../ports/directory";
import type { StoredMessage } from "../../ports/message-store";
import type { RecallDeps } from "./deps";
import type { MemoryLineInput } from "./memory-line";
import { namedAuthors } from "./named-authors";
import { type RankedMemory, rankMemories } from "./rank";
import { recallSummaryLines } from "./summary-recall";

export interface RecallRequest {
  teamId: string;
  channelId: string;
  query: string;
  /** Timestamps, in `channelId`, already in the prompt (the live conversation). */
  exclude: Set<string>;
  botUserId: string;
  /** The query's embedding if already known; otherwise the query is embedded here. */
  vector?: number[];
  /** A guest's or outside user's conversations (audience.ts): public talk only from these. */
  memberOf?: readonly string[];
}

/** One recalled message, best first, with the score that ranked it and the turns around it. */
export type RecalledMemory = RankedMemory;

/** Matches lexical recall considers before ranking (each brings its neighbours along). */
export const LEXICAL_CANDIDATES = 40;
/** Turns fetched either side of each lexical match (ranking looks one turn further than it shows). */
export const AROUND = 2;

/**
 * The messages recall offers for `request.query`, best first, at most `deps.reply.recallLimit`:
 * the one recall path (replies and the memory evaluation both use it). Lexical matches with their
 * neighbouring turns and the nearest messages by embedding, both within the scope, ranked by
 * core/src/features/memory/rank.ts.
 */
export async function recallMessages(
  deps: Pick<RecallDeps, "messages" | "embedder" | "directory" | "logger" | "reply" | "now">,
  request: RecallRequest,
): Promise<RecalledMemory[]> {
  if (request.query.trim() === "") return [];
  const limit = deps.reply.recallLimit;
  const scope = {
    teamId: request.teamId,
    fromChannelId: request.channelId,
    ...(request.memberOf ? { memberOf: request.memberOf } : {}),
  };
  const [vector] = request.vector
    ? [request.vector]
    : await deps.embedder.embed([request.query]).catch((error: unknown) => {
        deps.logger.warn({ err: error }, "query embedding failed; recalling by text only");
        return [] as number[][];
      });
  const [near, lexical] = await Promise.all([
    vector ? deps.messages.nearest({ ...scope, limit: limit * 2 }, vector) : Promise.resolve([]),
    deps.messages.lexical(
      { ...scope, limit: Math.max(LEXICAL_CANDIDATES, limit) },
      request.query,
      AROUND,
      vector,
    ),
  ]);
  const named = await namedAuthors(deps, request.teamId, request.query, [
    ...lexical.messages.map((m) => m.message.userId),
    ...near.map((hit) => hit.message.userId),
  ]);
  return rankMemories({
    lexical,
    vector: near.map((hit) => ({ message: hit.message, similarity: 1 - hit.score })),
    now: deps.now(),
    limit,
    namedAuthors: named,
    exclude: (m) =>
      (m.channelId === request.channelId && request.exclude.has(m.ts)) ||
      m.userId === request.botUserId ||
      !!m.botId,
  });
}

/** Recalled memories for one reply, attributed and ready for the prompt. */
export async function recallMemories(
  deps: RecallDeps,
  request: RecallRequest,
): Promise<MemoryLineInput[]> {
  const [recalled, summaries] = await Promise.all([
    recallMessages(deps, request),
    recallSummaryLines(deps, request),
  ]);
  const channelIds = [...new Set(recalled.map((hit) => hit.message.channelId))];
  const [names, found] = await Promise.all([
    speakerNames(
      deps,
      request.teamId,
      recalled.flatMap((hit) =>
        [hit.message, ...hit.before, ...hit.after].map((m) => m.userId ?? ""),
      ),
    ),
    Promise.all(
      channelIds.map((channelId) => deps.directory.getChannel(request.teamId, channelId)),
    ),
  ]);
  const speaker = (m: StoredMessage) => (m.userId ? (names.get(m.userId) ?? m.userId) : "someone");
  const channels = new Map<string, DirectoryChannel | undefined>(
    channelIds.map((channelId, i) => [channelId, found[i]]),
  );
  // A day's summary first: it stands for many messages (bounded: SUMMARY_LINES, clipped).
  const lines: MemoryLineInput[] = [...summaries];
  for (const { message, before, after } of recalled) {
    const channel = channels.get(message.channelId);
    // Context already in the prompt's live conversation is not repeated.
    const context = [...before, ...after]
      .filter(
        (m) =>
          !(m.channelId === request.channelId && request.exclude.has(m.ts)) && m.text.trim() !== "",
      )
      .map((m) => ({ speaker: speaker(m), text: m.text }));
    lines.push({
      speaker: speaker(message),
      // Named channels by name; DMs and unknown conversations read "a DM" (only ever recalled
      // inside that same conversation).
      channelName:
        channel && channel.visibility !== "dm" && channel.visibility !== "group_dm"
          ? channel.name
          : null,
      postedAt: message.postedAt,
      text: message.text,
      ...(context.length > 0 ? { context } : {}),
      permalink: deps.slack.permalink(request.teamId, message.channelId, message.ts),
    });
  }
  return lines;
}

/** Display names for user ids (directory first; ids stand in for unknown people). */
export async function speakerNames(
  deps: Pick<RecallDeps, "directory">,
  teamId: string,
  userIds: string[],
): Promise<Map<string, string>> {
  // Looked up at once: each is a cache or database round trip.
  const ids = [...new Set(userIds.filter((id) => id !== ""))];
  const users = await Promise.all(ids.map((userId) => deps.directory.getUser(teamId, userId)));
  return new Map(
    ids.map((userId, i) => {
      const user = users[i];
      return [userId, user?.displayName || user?.realName || user?.name || userId];
    }),
  );
}

/** How a conversation is named in prompts: `#design`, `a DM`, `a group DM`. */
export function placeName(channel: Pick<DirectoryChannel, "name" | "visibility">): string {
  if (channel.visibility === "dm") return "a DM";
  if (channel.visibility === "group_dm") return "a group DM";
  return channel.name ? `#${channel.name}` : "a channel";
}
