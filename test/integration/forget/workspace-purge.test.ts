// An uninstalled workspace's data goes after its grace period (ADR-034): WorkspaceLifecycle.purge
// removes every row of it from every table, the event log and audit log included, only while
// it is still uninstalled and due; another workspace keeps everything; the purge's own audit row
// names the workspace by a digest only.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { purgedTeamLabel } from "../../../core/src/adapters/sql/workspace-lifecycle";
import { uniqueName } from "../../setup/isolation";
import { scanDatabase } from "../../setup/residue-scan";
import { eventDelivery, type ForgetWorld, logged, openWorld, tsAt, workspaceWith } from "./fixture";

const CHANNEL = "C0WSPURGE1";
const USER = "U0WSPURGE1";
const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date(Date.UTC(2026, 8, 1, 8, 0));
const at = (days: number) => new Date(T0.getTime() + days * DAY);

let world: ForgetWorld;
let gone: string;
let kept: string;

/** Rows of the workspace in every table it can have rows in. */
async function seedWorkspace(teamId: string): Promise<void> {
  const { store, sql } = world;
  await store.directory.upsertUser({ teamId, userId: USER, name: `user of ${teamId}` });
  const ids: number[] = [];
  for (const minute of [1, 2]) {
    const ts = tsAt(at(-10));
    const text = `message ${minute} in ${teamId} about budgets`;
    const event = { type: "message", user: USER, text, ts, channel: CHANNEL };
    const id = await logged(world, eventDelivery(teamId, `EvW${minute}${teamId}`, at(-10), event));
    const stored = await store.messages.upsert({
      teamId,
      channelId: CHANNEL,
      ts,
      userId: USER,
      text,
      postedAt: at(-10),
      sourceEventId: id,
    });
    ids.push(stored.id);
  }
  await store.auditLog.record({
    teamId,
    actor: USER,
    action: "test.seed",
    subject: teamId,
    details: { teamId },
  });
  await store.botReplies.claim({
    teamId,
    sendKey: `reply:${CHANNEL}:${teamId}`,
    channelId: CHANNEL,
  });
  await store.derived.saveSummary({
    teamId,
    channelId: CHANNEL,
    periodStart: at(-11),
    periodEnd: at(-9),
    summary: `budgets in ${teamId}`,
    sourceUserIds: [USER],
    sourceMessageIds: ids,
  });
  await store.derived.addFact({
    teamId,
    userId: USER,
    fact: `works at ${teamId}`,
    sourceMessageIds: ids,
  });
  await sql`insert into mood_states (team_id, channel_id, mood, reason) values (${teamId}, ${CHANNEL}, 'friendly', 'thanked')`;
  await sql`insert into mood_transitions (team_id, channel_id, from_mood, to_mood, reason)
            values (${teamId}, ${CHANNEL}, 'neutral', 'friendly', 'thanked')`;
  await sql`insert into role_grants (team_id, user_id, role, granted_by) values (${teamId}, ${USER}, 'admin', ${USER})`;
  await sql`insert into workspace_settings (team_id, retention_days) values (${teamId}, 30)`;
  await sql`insert into archived_messages (id, team_id, channel_id, ts, user_id, text, visibility, posted_at)
            values (${9_700_000_000 + Math.floor(Math.random() * 1e8)}, ${teamId}, ${CHANNEL},
                    ${tsAt(at(-400))}, ${USER}, ${`old words of ${teamId}`}, 'public_channel', ${at(-400)})`;
  await sql`insert into slack_installations (team_id, bot_user_id, token_ciphertext, token_iv, token_key_id)
            values (${teamId}, 'U0BOT', '\\x00'::bytea, '\\x00'::bytea, 'k1')`;
}

/** Rows per table holding `teamId`, for comparing a workspace before and after. */
async function footprint(teamId: string): Promise<string[]> {
  const scan = await scanDatabase(world.sql, [teamId]);
  return scan.hits.map((hit) => `${hit.table}.${hit.column}`).sort();
}

beforeAll(async () => {
  world = openWorld();
  gone = await workspaceWith(world, { [CHANNEL]: "public_channel" });
  kept = await workspaceWith(world, { [CHANNEL]: "public_channel" });
  await seedWorkspace(gone);
  await seedWorkspace(kept);
  await world.store.userStats.refresh();
});

afterAll(async () => {
  await world.close();
});

describe("the uninstall state", () => {
  test("installed, uninstalled (earlier times kept), reinstalled: no purge before it is due", async () => {
    const { lifecycle } = world.store;
    expect(await lifecycle.state(gone)).toEqual({
      teamId: gone,
      uninstalledAt: null,
      purgeAfter: null,
    });
    expect(await lifecycle.state(`${gone}-unknown`)).toBeUndefined();
    expect(await lifecycle.purge(gone, at(100))).toBeUndefined(); // installed

    await lifecycle.markUninstalled(gone, at(0), at(3));
    await lifecycle.markUninstalled(gone, at(1), at(4)); // tokens_revoked after app_uninstalled
    expect(await lifecycle.state(gone)).toEqual({
      teamId: gone,
      uninstalledAt: at(0),
      purgeAfter: at(3),
    });
    expect(await lifecycle.purge(gone, at(2))).toBeUndefined(); // not due
    expect(await lifecycle.dueForPurge(at(2))).not.toContain(gone);
    expect(await lifecycle.dueForPurge(at(3))).toContain(gone);

    expect(await lifecycle.markInstalled(gone)).toBe(true);
    expect(await lifecycle.markInstalled(gone)).toBe(false);
    expect(await lifecycle.state(gone)).toEqual({
      teamId: gone,
      uninstalledAt: null,
      purgeAfter: null,
    });
    expect(await lifecycle.purge(gone, at(100))).toBeUndefined(); // reinstalled
    expect(await lifecycle.dueForPurge(at(100))).not.toContain(gone);
    expect((await footprint(gone)).length).toBeGreaterThan(15);
  });

  test("an uninstall of a workspace pup never heard of creates its row", async () => {
    const { lifecycle } = world.store;
    const stranger = uniqueName("T");
    await lifecycle.markUninstalled(stranger, at(0), at(3));
    expect(await lifecycle.state(stranger)).toEqual({
      teamId: stranger,
      uninstalledAt: at(0),
      purgeAfter: at(3),
    });
    expect(await lifecycle.purge(stranger, at(3))).toEqual(
      expect.objectContaining({ workspaces: 1 }),
    );
  });
});

describe("the purge", () => {
  test("removes every row of the workspace from every table; the other keeps all of its", async () => {
    const { lifecycle } = world.store;
    const keptBefore = await footprint(kept);
    await lifecycle.markUninstalled(gone, at(10), at(13));
    const removed = await lifecycle.purge(gone, at(13));
    expect(removed).toMatchObject({
      messages: 2,
      slack_events: 2,
      audit_log: 1,
      archived_messages: 1,
      bot_replies: 1,
      channels: 1,
      conversation_summaries: 1,
      conversation_summary_sources: 2,
      user_profiles: 1,
      user_profile_facts: 1,
      user_profile_fact_sources: 2,
      mood_states: 1,
      mood_transitions: 1,
      role_grants: 1,
      workspace_settings: 1,
      slack_installations: 1,
      users: 1,
      workspaces: 1,
    });
    expect(removed?.lexeme_stats).toBeGreaterThan(0);

    const scan = await scanDatabase(world.sql, [gone]);
    expect(scan.hits).toEqual([]);
    expect(scan.tables).toBeGreaterThanOrEqual(20);
    expect(await footprint(kept)).toEqual(keptBefore);
    expect(await lifecycle.state(gone)).toBeUndefined();
    expect(await lifecycle.purge(gone, at(100))).toBeUndefined();
  });

  test("its audit row names the workspace by a digest, with counts only", async () => {
    const label = purgedTeamLabel(gone);
    expect(label).toMatch(/^purged:[0-9a-f]{16}$/);
    const rows = await world.sql`select actor, action, subject, details from audit_log
                                 where team_id = ${label}`;
    expect([...rows]).toEqual([
      {
        actor: "system",
        action: "workspace.purged",
        subject: null,
        details: { counts: expect.objectContaining({ messages: 2, workspaces: 1 }) },
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain(gone);
  });
});
