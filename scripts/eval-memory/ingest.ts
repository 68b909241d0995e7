/**
 * The memory evaluation's workspaces: each conversation stored as messages in its own team
 * through pup's message store and embedded by the offline embedder, and removed again.
 */
import { sql } from "drizzle-orm";
import type { createOfflineEmbedder } from "../../core/src/adapters/offline/embedder";
import type { createSqlDirectory } from "../../core/src/adapters/sql/directory";
import type { MessageStore } from "../../core/src/ports/message-store";
import type { Database } from "../../db/client";
import type { Conversation, Turn } from "./locomo";

export const CHANNEL = "CLOCOMO0001";
/** Embedding requests carry this many texts. */
const EMBED_BATCH = 64;

/** The workspace a conversation becomes: its own team, so nothing is recalled across them. */
export const teamOf = (conversation: Conversation) => `TLOCOMO-${conversation.id}`;
const userOf = (speaker: string) => `U-${speaker.toUpperCase().replace(/[^A-Z0-9]+/g, "")}`;
/** Slack-style message timestamps that sort like the turns. */
const tsOf = (turn: Turn) =>
  `${Math.floor(turn.postedAt.getTime() / 1000)}.${String(turn.order).padStart(6, "0")}`;

/** Where each turn went: by message timestamp and by stored message id. */
export interface IngestedConversation {
  turnOfTs: Map<string, string>;
  turnOfMessageId: Map<number, string>;
}

/** Stores one conversation's turns as messages in its own workspace and embeds them. */
export async function ingest(
  conversation: Conversation,
  directory: ReturnType<typeof createSqlDirectory>,
  messages: MessageStore,
  embedder: ReturnType<typeof createOfflineEmbedder>,
  tick: () => void,
): Promise<IngestedConversation> {
  const teamId = teamOf(conversation);
  await directory.upsertWorkspace({ teamId, name: conversation.id });
  await directory.upsertChannel({
    teamId,
    channelId: CHANNEL,
    name: "conversation",
    visibility: "public_channel",
  });
  for (const speaker of conversation.speakers) {
    await directory.upsertUser({ teamId, userId: userOf(speaker), displayName: speaker });
  }
  const turnOfTs = new Map<string, string>();
  const turnOfMessageId = new Map<number, string>();
  for (let start = 0; start < conversation.turns.length; start += EMBED_BATCH) {
    const batch = conversation.turns.slice(start, start + EMBED_BATCH);
    const stored = [];
    for (const turn of batch) {
      const ts = tsOf(turn);
      turnOfTs.set(ts, turn.id);
      const message = await messages.upsert({
        teamId,
        channelId: CHANNEL,
        ts,
        userId: userOf(turn.speaker),
        text: `${turn.speaker}: ${turn.text}`,
        visibility: "public_channel",
        postedAt: turn.postedAt,
      });
      turnOfMessageId.set(message.id, turn.id);
      stored.push(message);
    }
    const vectors = await embedder.embed(stored.map((message) => message.text));
    for (const [i, message] of stored.entries()) {
      const vector = vectors[i];
      if (vector) await messages.setEmbedding(teamId, message.id, vector, embedder.model);
      tick();
    }
  }
  return { turnOfTs, turnOfMessageId };
}

/** Removes the evaluation's workspaces (their channels and messages go with them). */
export async function removeTeams(db: Database, teams: string[]): Promise<void> {
  for (const teamId of teams) {
    // What a derived-memory hook (run.ts) left behind; their sources go with the messages.
    await db.execute(sql`delete from conversation_summaries where team_id = ${teamId}`);
    await db.execute(sql`delete from user_profile_facts where team_id = ${teamId}`);
    await db.execute(sql`delete from user_profiles where team_id = ${teamId}`);
    await db.execute(sql`delete from messages where team_id = ${teamId}`);
    await db.execute(sql`delete from lexeme_stats where team_id = ${teamId}`);
    await db.execute(sql`delete from lexeme_totals where team_id = ${teamId}`);
    await db.execute(sql`delete from channels where team_id = ${teamId}`);
    await db.execute(sql`delete from users where team_id = ${teamId}`);
    await db.execute(sql`delete from workspaces where team_id = ${teamId}`);
  }
}
