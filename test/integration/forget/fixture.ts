/**
 * The database side of forgetting (ADR-034) on this run's PostgreSQL: the SQL adapters over one
 * drizzle handle, a postgres.js client for looking at rows directly (and for the residue scan),
 * and words no other test says, so a scan of the whole shared database finds only this test's.
 */
import postgres from "postgres";
import { createSqlAuditLog } from "../../../core/src/adapters/sql/audit-log";
import { createSqlBotReplyLog } from "../../../core/src/adapters/sql/bot-reply-log";
import { createSqlDerivedMemory } from "../../../core/src/adapters/sql/derived-memory";
import { createSqlDirectory } from "../../../core/src/adapters/sql/directory";
import { createSqlEventLog } from "../../../core/src/adapters/sql/event-log";
import { createSqlForgetStore } from "../../../core/src/adapters/sql/forget-store";
import { createSqlMessageStore } from "../../../core/src/adapters/sql/message-store";
import { createSqlUserStats } from "../../../core/src/adapters/sql/user-stats";
import { createSqlWorkspaceLifecycle } from "../../../core/src/adapters/sql/workspace-lifecycle";
import { toSlackEventInput } from "../../../core/src/features/intake";
import type { SlackEventInput } from "../../../core/src/ports/event-log";
import type { ChannelVisibility } from "../../../core/src/ports/slack-vocabulary";
import { createDb, type DbHandle } from "../../../db/client";
import { uniqueName } from "../../setup/isolation";

export const DIMENSIONS = 512;
export const PUP = "U0PUPBOT01";
export const PUP_BOT = "B0PUPBOT01";

export interface ForgetWorld {
  handle: DbHandle;
  sql: postgres.Sql;
  store: ReturnType<typeof adapters>;
  close(): Promise<void>;
}

function adapters(handle: DbHandle) {
  const { db } = handle;
  return {
    forgets: createSqlForgetStore(db),
    lifecycle: createSqlWorkspaceLifecycle(db),
    messages: createSqlMessageStore(db),
    eventLog: createSqlEventLog(db),
    directory: createSqlDirectory(db),
    derived: createSqlDerivedMemory(db),
    botReplies: createSqlBotReplyLog(db),
    auditLog: createSqlAuditLog(db),
    userStats: createSqlUserStats(db),
  };
}

export function openWorld(): ForgetWorld {
  const url = process.env.PUP_TEST_DATABASE_URL;
  if (!url) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  const handle = createDb({ databaseUrl: url, dataDir: "", embeddingDimensions: DIMENSIONS });
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    handle,
    sql,
    store: adapters(handle),
    async close() {
      await sql.end({ timeout: 5 });
      await handle.close();
    },
  };
}

const CONSONANTS = "bcdfghjklmnpqrtvwxz";

/**
 * A word nobody else says and English stemming leaves as it is (consonants only), so it can be
 * looked for verbatim in messages, payloads, summaries and the word statistics alike.
 */
export function oddWord(): string {
  let word = "q";
  for (let i = 0; i < 9; i += 1) word += CONSONANTS[Math.floor(Math.random() * CONSONANTS.length)];
  return word;
}

/** A Slack-like ts `seconds` into 2026, unique per call within a test. */
let tick = 0;
export function tsAt(date: Date): string {
  tick += 1;
  return `${Math.floor(date.getTime() / 1000)}.${String(tick).padStart(6, "0")}`;
}

export const embedding = (hot: number) =>
  Array.from({ length: DIMENSIONS }, (_, i) => (i === hot ? 1 : 0));

/** A workspace with the given conversations (`C…` public, `G…` private, `D…` a DM). */
export async function workspaceWith(
  world: ForgetWorld,
  conversations: Record<string, ChannelVisibility>,
): Promise<string> {
  const teamId = uniqueName("T");
  await world.store.directory.upsertWorkspace({ teamId, name: `team ${teamId}` });
  for (const [channelId, visibility] of Object.entries(conversations)) {
    await world.store.directory.upsertChannel({ teamId, channelId, visibility });
  }
  return teamId;
}

/**
 * An Events API delivery with `event_time` at `at`, mapped to its event log row the way
 * acceptance maps it (features/intake), author included.
 */
export function eventDelivery(
  teamId: string,
  eventId: string,
  at: Date,
  event: Record<string, unknown>,
): SlackEventInput {
  const mapped = toSlackEventInput({
    version: 1,
    kind: "event",
    id: eventId,
    teamId,
    receivedAt: at.toISOString(),
    retry: { num: 0, reason: null },
    payload: {
      type: "event_callback",
      team_id: teamId,
      event_id: eventId,
      event_time: Math.floor(at.getTime() / 1000),
      authorizations: [{ team_id: teamId, user_id: PUP, is_bot: true }],
      event,
    },
  });
  if (!mapped.ok) throw new Error(mapped.message);
  return mapped.input;
}

/** Appends `input` and answers its row id (it must be new). */
export async function logged(world: ForgetWorld, input: SlackEventInput): Promise<number> {
  const appended = await world.store.eventLog.append(input);
  if (!appended.inserted) throw new Error(`event ${input.eventId} was not appended`);
  return appended.id;
}

/** The `n` of a `select count(*)::int as n …`. */
export async function count(query: postgres.PendingQuery<postgres.Row[]>) {
  const [row] = await query;
  return Number(row?.n ?? 0);
}
