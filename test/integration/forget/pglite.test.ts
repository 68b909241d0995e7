// The demo runs on embedded PGlite: the same purges work there (JSON paths, the redaction
// opt-in, the catalog queries, the concurrent refresh of the statistics view).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createSqlDerivedMemory } from "../../../core/src/adapters/sql/derived-memory";
import { createSqlDirectory } from "../../../core/src/adapters/sql/directory";
import { createSqlEventLog } from "../../../core/src/adapters/sql/event-log";
import { createSqlForgetStore } from "../../../core/src/adapters/sql/forget-store";
import { createSqlMessageStore } from "../../../core/src/adapters/sql/message-store";
import { createSqlWorkspaceLifecycle } from "../../../core/src/adapters/sql/workspace-lifecycle";
import { createDb, type DbHandle, IN_MEMORY_DATA_DIR } from "../../../db/client";
import { migrateDatabase } from "../../../db/migrate";
import { queryRows } from "../../../db/query-rows";
import { eventDelivery } from "./fixture";

let handle: DbHandle;
const TEAM = "T0PGLITE01";
const CHANNEL = "C0PGLITE01";
const AT = new Date(Date.UTC(2026, 3, 1));

beforeAll(async () => {
  handle = createDb({ dataDir: IN_MEMORY_DATA_DIR, embeddingDimensions: 512 });
  await migrateDatabase(handle, { embeddingDimensions: 512 });
}, 120_000);

afterAll(async () => {
  await handle?.close();
});

const total = async (table: string) => {
  const [row] = await queryRows<{ n: number }>(
    handle.db,
    sql`select count(*)::int as n from ${sql.identifier(table)} where team_id = ${TEAM}`,
  );
  return Number(row?.n ?? 0);
};

test("forget me, forget a message and a workspace purge on PGlite", async () => {
  const { db } = handle;
  const directory = createSqlDirectory(db);
  const messages = createSqlMessageStore(db);
  const eventLog = createSqlEventLog(db);
  const forgets = createSqlForgetStore(db);
  await directory.upsertWorkspace({ teamId: TEAM });
  await directory.upsertChannel({ teamId: TEAM, channelId: CHANNEL, visibility: "public_channel" });
  const say = async (user: string, ts: string, text: string) => {
    const event = { type: "message", user, text, ts, channel: CHANNEL };
    const appended = await eventLog.append(eventDelivery(TEAM, `Ev${ts}`, AT, event));
    if (!appended.inserted) throw new Error("not appended");
    return messages.upsert({
      teamId: TEAM,
      channelId: CHANNEL,
      ts,
      userId: user,
      text,
      postedAt: AT,
      sourceEventId: appended.id,
    });
  };
  const mine = await say("U1", "1775001600.000001", "my words");
  const theirs = await say("U2", "1775001600.000002", "their words");
  await createSqlDerivedMemory(db).addFact({
    teamId: TEAM,
    userId: "U2",
    fact: "drawn from both",
    sourceMessageIds: [mine.id, theirs.id],
  });

  await forgets.markForgotten(TEAM, "U1", new Date());
  const purged = await forgets.purgeUser(TEAM, "U1", { actor: "U1", action: "privacy.forget_me" });
  expect(purged.counts).toMatchObject({ messages: 1, slack_events: 1, user_profile_facts: 0 });
  expect(await total("messages")).toBe(1);
  expect(await total("slack_events")).toBe(1);
  expect(await total("user_profile_fact_sources")).toBe(1);
  const refused = await eventLog.append(
    eventDelivery(TEAM, "EvLate", AT, {
      type: "message",
      user: "U1",
      text: "late",
      channel: CHANNEL,
    }),
  );
  expect(refused).toEqual({ inserted: false, forgotten: true });

  const ref = { teamId: TEAM, channelId: CHANNEL, ts: theirs.ts };
  const one = await forgets.purgeMessage(ref, { actor: "U2", action: "privacy.forget_message" });
  expect(one.counts).toMatchObject({ messages: 1, slack_events: 1, user_profile_facts: 1 });
  expect((await messages.find(ref))?.text).toBe("");

  const lifecycle = createSqlWorkspaceLifecycle(db);
  await lifecycle.markUninstalled(TEAM, AT, AT);
  const removed = await lifecycle.purge(TEAM, AT);
  expect(removed).toMatchObject({ messages: 1, audit_log: 2, workspaces: 1, users: 1 });
  for (const table of ["messages", "audit_log", "users", "workspaces", "channels"]) {
    expect(await total(table)).toBe(0);
  }
}, 60_000);
