// Issue 15, point 5: a cleanup run applies each workspace's retention against the real
// PostgreSQL: old messages move to the archive (no vectors, no longer recalled), what was derived
// only from them goes, raw payloads and mood transitions past the window are removed, user_stats
// is refreshed, and the log says what went by count. A second run changes nothing.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { runCleanup } from "../../../core/src/features/cleanup";
import type { RecallScope } from "../../../core/src/ports/message-store";
import { DEFAULT_RETENTION_DAYS } from "../../../core/src/ports/workspace-settings";
import { ADMIN, CHANNEL, type CommandsWorld, startCommandsWorld } from "../commands/fixture";
import { RETENTION_DAYS, type Seeded, seedPast, WORD, whatIsLeft } from "./fixture";

let world: CommandsWorld;
let sql: postgres.Sql;
let seeded: Seeded;
beforeEach(async () => {
  world = await startCommandsWorld();
  sql = postgres(process.env.PUP_TEST_DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
  await world.command(`retention ${RETENTION_DAYS}`, { user: ADMIN });
  seeded = await seedPast(world, sql);
});
afterEach(async () => {
  await sql.end({ timeout: 5 });
  await world.stop();
});

const scope = (): RecallScope => ({ teamId: world.teamId, fromChannelId: CHANNEL, limit: 10 });
const recalledIds = async () => {
  const { messages } = world.services.deps;
  const byText = await messages.search(scope(), WORD);
  const byVector = await messages.nearest(scope(), [1, ...Array(511).fill(0)]);
  return {
    byText: byText.map((r) => r.message.id).sort(),
    byVector: byVector.map((r) => r.message.id).sort(),
  };
};
const messageCount = async () => {
  const rows = await sql`select message_count from user_stats
                         where team_id = ${world.teamId} and user_id = ${ADMIN}`;
  return rows[0]?.message_count as number | undefined;
};
/**
 * The real deps, with the list of workspaces narrowed to this test's: the test database is shared
 * with tests running at the same time, whose workspaces a full run must not touch.
 */
const cleanupOnly = () => {
  const { deps } = world.services;
  const settings = deps.workspaceSettings;
  return {
    ...deps,
    workspaceSettings: {
      ...settings,
      listRetention: async () =>
        (await settings.listRetention()).filter((s) => s.teamId === world.teamId),
    },
  };
};

describe("a cleanup run", () => {
  test("archives exactly the messages past retention, and recall no longer finds them", async () => {
    const { ids } = seeded;
    expect(await recalledIds()).toEqual({
      byText: [ids.old1, ids.old2, ids.recent],
      byVector: [ids.old1, ids.old2, ids.recent],
    });

    const report = await runCleanup(cleanupOnly());

    const mine = report.workspaces.find((w) => w.teamId === world.teamId);
    expect(mine).toMatchObject({ retentionDays: 30, messagesArchived: 2, messagesDropped: 1 });
    const left = await whatIsLeft(world, sql);
    expect(left.messages).toEqual([ids.recent]);
    expect(left.archived).toEqual([ids.old1, ids.old2]);
    expect(await recalledIds()).toEqual({ byText: [ids.recent], byVector: [ids.recent] });
    const archived = await sql`select id, ts, text, user_id, posted_at from archived_messages
                               where team_id = ${world.teamId} order by id`;
    expect(archived.map((r) => [Number(r.id), r.ts, r.text, r.user_id])).toEqual([
      [ids.old1, "1000.000001", `the ${WORD} plan, take 1000.000001`, ADMIN],
      [ids.old2, "1000.000002", `the ${WORD} plan, take 1000.000002`, ADMIN],
    ]);
    const columns = await sql`select column_name from information_schema.columns
                              where table_name = 'archived_messages'`;
    expect(columns.map((c) => c.column_name)).not.toContain("embedding");
  });

  test("removes what was derived only from archived messages and keeps the rest", async () => {
    const { ids, facts, summaries } = seeded;
    const report = await runCleanup(cleanupOnly());

    const mine = report.workspaces.find((w) => w.teamId === world.teamId);
    expect(mine).toMatchObject({ summariesPruned: 1, factsPruned: 1 });
    const left = await whatIsLeft(world, sql);
    expect(left.summaries).toEqual([summaries.recent]);
    expect(left.facts).toEqual([facts.oldAndRecent, facts.unsourced]);
    // The kept fact's link to the archived message went with it; the recent one stays.
    expect(left.factSources).toEqual([[facts.oldAndRecent, ids.recent]]);
  });

  test("expires old raw payloads (audit-logged) and prunes old mood transitions", async () => {
    const report = await runCleanup(cleanupOnly());

    const mine = report.workspaces.find((w) => w.teamId === world.teamId);
    expect(mine).toMatchObject({ eventsExpired: 2, moodTransitionsPruned: 2 });
    const left = await whatIsLeft(world, sql);
    expect(left.events).toEqual(["Ev0NEW0001"]);
    expect(left.moodTransitions).toBe(1);
    const audit = (await world.audit()).filter((r) => r.action === "cleanup.events.expired");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "system", details: { count: 2 } });
    // The opt-in to delete was the transaction's alone: the log is append-only again.
    await expect(sql`delete from slack_events where team_id = ${world.teamId}`).rejects.toThrow(
      /append-only/,
    );
  });

  test("refreshes user_stats: the archived messages no longer count", async () => {
    await world.services.data.userStats.refresh();
    expect(await messageCount()).toBe(3);
    const report = await runCleanup(cleanupOnly());
    expect(report.userStatsRefreshed).toBe(true);
    expect(await messageCount()).toBe(1);
  });

  test("logs what it removed by count, never a word of it", async () => {
    await runCleanup(cleanupOnly());
    const lines = world.logs.filter((l) => String(l.msg).startsWith("cleanup:"));
    const workspace = lines.find(
      (l) => l.msg === "cleanup: workspace done" && l.teamId === world.teamId,
    );
    expect(workspace).toMatchObject({
      retentionDays: 30,
      messagesArchived: 2,
      messagesDropped: 1,
      summariesPruned: 1,
      factsPruned: 1,
      eventsExpired: 2,
      moodTransitionsPruned: 2,
    });
    const done = lines.find((l) => l.msg === "cleanup: run done");
    expect(typeof done?.messagesArchived).toBe("number");
    expect(JSON.stringify(lines)).not.toContain(WORD);
  });

  test("a second run removes nothing more and writes no audit row", async () => {
    await runCleanup(cleanupOnly());
    const after = await whatIsLeft(world, sql);
    const auditRows = (await world.audit()).length;

    const again = await runCleanup(cleanupOnly());

    expect(again.workspaces.find((w) => w.teamId === world.teamId)).toEqual({
      teamId: world.teamId,
      retentionDays: 30,
      messagesArchived: 0,
      messagesDropped: 0,
      summariesPruned: 0,
      factsPruned: 0,
      eventsExpired: 0,
      moodTransitionsPruned: 0,
    });
    expect(await whatIsLeft(world, sql)).toEqual(after);
    expect((await world.audit()).length).toBe(auditRows);
  });

  test("every installed workspace is listed with its retention, the default where none is set", async () => {
    const other = `${world.teamId}B`;
    await sql`insert into workspaces (team_id) values (${other})`;
    const all = await world.services.deps.workspaceSettings.listRetention();
    expect(all.filter((s) => s.teamId.startsWith(world.teamId))).toEqual([
      { teamId: world.teamId, days: 30, explicit: true },
      { teamId: other, days: DEFAULT_RETENTION_DAYS, explicit: false },
    ]);
  });

  test("small batches archive the same rows as one big one", async () => {
    const report = await runCleanup(cleanupOnly(), { teamId: world.teamId, batchSize: 1 });
    expect(report.workspaces).toHaveLength(1);
    expect(report.workspaces[0]).toMatchObject({
      messagesArchived: 2,
      messagesDropped: 1,
      eventsExpired: 2,
      moodTransitionsPruned: 2,
    });
    // A one-workspace run leaves the shared view and the queues to the daily run.
    expect(report.userStatsRefreshed).toBe(false);
    expect((await whatIsLeft(world, sql)).archived).toEqual([seeded.ids.old1, seeded.ids.old2]);
  });
});
