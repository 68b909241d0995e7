/**
 * Uninstalls end to end (issue 16, ADR-034) through the real edge in workerd: after
 * `app_uninstalled`, everything Slack sends from that workspace is acknowledged and logged, but
 * nothing is answered or remembered (a mention, a DM, chatter, `/pup`, the App Home), while
 * another workspace is answered as before. When the grace period ends the privacy job purges
 * it: no row of any table holds its id, and the other workspaces' rows are all there. A revoked
 * bot token is an uninstall too (a revoked user token is not); a reinstall within the grace
 * period restores answering and the purge that then comes due leaves everything in place.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import postgres from "postgres";
import { createRedisClient } from "../../../core/src/adapters/redis";
import { queuePrefix } from "../../../core/src/adapters/redis/job-queue";
import {
  onReinstalled,
  REINSTALLED_ACTION,
  UNINSTALLED_ACTION,
} from "../../../core/src/features/forget";
import { uniqueName } from "../../setup/isolation";
import { scanDatabase, scanRedis } from "../../setup/residue-scan";
import { deliverEvent, signedFormHeaders } from "../edge/slack-requests";
import { newConversation, newTeamId } from "./conversations";
import {
  ALICE,
  BOB,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  settle,
  startPipeline,
  waitFor,
} from "./harness";
import { rowsPerTable } from "./table-rows";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
/** Long enough for the checks made while a workspace is uninstalled, short for a test. */
const GRACE_MS = 12_000;
/** Uninstalled, then purged. */
const GONE = newTeamId("GONE");
/** Never uninstalled: its rows must all survive the other's purge. */
const KEPT = newTeamId("KEPT");
/** Its bot token revoked, then reinstalled within the grace period. */
const BACK = newTeamId("BACK");

let pipeline: Pipeline;
let redis: Redis;
let sql: postgres.Sql;
let prefix: string;
let privacy: Queue;
/** Each workspace's channel and the words said there. */
const rooms: Record<string, string> = {};
const facts: Record<string, string> = {};
/** KEPT's rows per table once nothing more happens there. */
let keptRows: Record<string, number> = {};

beforeAll(async () => {
  prefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}uninstall-e2e`);
  pipeline = await startPipeline({ edge: true, redisPrefix: prefix, slackTeam: KEPT });
  // The grace period the operator sets (PUP_UNINSTALL_GRACE_HOURS), read when an uninstall is
  // handled: a few seconds here.
  pipeline.services.deps.uninstallGraceMs = GRACE_MS;
  redis = createRedisClient(REDIS_URL, { connectionName: "pup-uninstall-e2e" });
  privacy = new Queue("privacy", { connection: redis, prefix: queuePrefix(`${prefix}:bull`) });
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set (test/setup/preload.ts)");
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  for (const team of [GONE, KEPT, BACK]) {
    rooms[team] = newConversation(pipeline);
    facts[team] = `word${Math.random().toString(36).slice(2, 9)}`;
  }
});

afterAll(async () => {
  await privacy?.close();
  await pipeline?.stop();
  redis?.disconnect();
  await sql?.end({ timeout: 5 });
});

function edge() {
  if (!pipeline.edge) throw new Error("the edge did not start");
  return pipeline.edge;
}

const room = (team: string) => rooms[team] ?? "";

/** Slack delivers `event` of `team` to the edge, which acknowledges it; returns its event id. */
async function deliver(team: string, event: Record<string, unknown>): Promise<string> {
  const eventId = `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const envelope = {
    token: "unused",
    team_id: team,
    api_app_id: "A0FAKEAPP1",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: team, user_id: PUP, is_bot: true, is_enterprise_install: false }],
  };
  expect((await deliverEvent(edge(), envelope)).status).toBe(200);
  return eventId;
}

/** Someone says `text` in `team`'s room (a mention of pup with `mention`), through the edge. */
async function say(team: string, text: string, options: { mention?: boolean; user?: string } = {}) {
  const message = said(pipeline, options.mention ? `<@${PUP}> ${text}` : text, {
    team,
    channel: room(team),
    user: options.user ?? ALICE,
    mention: options.mention === true,
  });
  expect((await deliverEvent(edge(), message.envelope)).status).toBe(200);
  return { ts: message.ts, eventId: String(message.envelope.event_id) };
}

const answered = (team: string, ts: string) =>
  pupMessages(pipeline, room(team)).some((reply) => reply.thread_ts === ts);

async function mentionAnswered(team: string): Promise<void> {
  const asked = await say(team, "are you there?", { mention: true });
  await waitFor(() => answered(team, asked.ts), `pup's answer in ${team}`);
}

/** `/pup help` from `team`, through the edge; returns the response_url pup would answer at. */
async function pupHelp(team: string): Promise<string> {
  const responseUrl = pipeline.slack.responseUrl();
  const body = new URLSearchParams({
    token: "unused",
    team_id: team,
    team_domain: "pup-test",
    channel_id: room(team),
    channel_name: room(team).toLowerCase(),
    user_id: ALICE,
    user_name: "alice",
    command: "/pup",
    text: "help",
    api_app_id: "A0FAKEAPP1",
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abcdef`,
  }).toString();
  const response = await edge().fetch("/slack/commands", {
    method: "POST",
    headers: await signedFormHeaders(body),
    body,
  });
  expect(response.status).toBe(200);
  await response.text();
  return responseUrl;
}

/** Event ids of `team`'s payloads the message job handed to no listener (its log line). */
const refused = (team: string) =>
  pipeline.logs
    .filter(
      (line) =>
        line.msg === "slack payload not handled: workspace uninstalled" && line.teamId === team,
    )
    .map((line) => String(line.eventId));

const state = (team: string) => pipeline.services.deps.workspaceLifecycle.state(team);
const logged = async (team: string, eventId: string) =>
  (await pipeline.services.data.eventLog.find(team, eventId)) !== undefined;
const stored = (team: string, ts: string) =>
  pipeline.services.data.messages.find({ teamId: team, channelId: room(team), ts });

/** The workspace's purge jobs still queued (delayed, waiting or running). */
async function purgeJobsOf(team: string): Promise<number> {
  const jobs = await privacy.getJobs(["delayed", "waiting", "active", "prioritized"]);
  return jobs.filter((job) => job?.data?.kind === "purge-workspace" && job.data.teamId === team)
    .length;
}

async function auditActions(team: string): Promise<string[]> {
  const rows = await sql<{ action: string }[]>`
    select action from audit_log where team_id = ${team} order by id`;
  return rows.map((row) => row.action);
}

describe("an uninstalled workspace", () => {
  test("is acknowledged but neither answered nor remembered; another workspace is", async () => {
    for (const team of [GONE, KEPT]) {
      await say(team, `the team mascot is ${facts[team]}`, { user: BOB });
      await mentionAnswered(team);
    }
    await deliver(GONE, { type: "app_uninstalled" });
    await waitFor(async () => Boolean((await state(GONE))?.uninstalledAt), "the uninstall");
    expect(await auditActions(GONE)).toContain(UNINSTALLED_ACTION);
    // Its purge is queued, delayed by the grace period (the last step of the uninstall).
    await waitFor(async () => (await purgeJobsOf(GONE)) === 1, "GONE's purge job");

    const repliesBefore = pupMessages(pipeline, room(GONE)).length;
    const writesBefore = pipeline.slack.calls.length;
    const dm = newConversation(pipeline, "im");
    const asked = await say(GONE, "are you still there?", { mention: true });
    const chatter = await say(GONE, `a new word ${facts[GONE]}x`, { user: BOB });
    const direct = said(pipeline, "hello in private", {
      team: GONE,
      channel: dm,
      channelType: "im",
    });
    expect((await deliverEvent(edge(), direct.envelope)).status).toBe(200);
    const help = await pupHelp(GONE);
    const home = await deliver(GONE, {
      type: "app_home_opened",
      user: BOB,
      channel: dm,
      tab: "home",
    });
    // The other workspace is answered meanwhile.
    await mentionAnswered(KEPT);
    // All five reached the message job, which handed none of them on.
    await waitFor(() => refused(GONE).length === 5, "GONE's five payloads to be refused");
    await settle(pipeline);

    // Each of them reached core and is in the event log: acknowledged, never lost.
    for (const eventId of [
      asked.eventId,
      chatter.eventId,
      String(direct.envelope.event_id),
      home,
    ]) {
      expect(await logged(GONE, eventId)).toBe(true);
      expect(refused(GONE)).toContain(eventId);
    }
    // Nothing answered: no reply, no DM, no answer at the response_url, no App Home.
    expect(answered(GONE, asked.ts)).toBe(false);
    expect(pupMessages(pipeline, room(GONE))).toHaveLength(repliesBefore);
    expect(pupMessages(pipeline, dm)).toEqual([]);
    expect(pipeline.slack.responses.some((answer) => help.endsWith(answer.path))).toBe(false);
    expect(pipeline.slack.workspace.views.has(BOB)).toBe(false);
    const gonePlaces = new Set([room(GONE), dm]);
    const since = pipeline.slack.calls.slice(writesBefore);
    expect(since.filter((call) => gonePlaces.has(String(call.args.channel ?? "")))).toEqual([]);
    expect(since.filter((call) => call.method === "views.publish")).toEqual([]);
    // Nothing remembered.
    expect(await stored(GONE, chatter.ts)).toBeUndefined();
    expect(await stored(GONE, asked.ts)).toBeUndefined();
    // What it said before is still there until the grace period ends.
    expect((await rowsPerTable(sql, facts[GONE] ?? "")).messages).toBeGreaterThan(0);

    keptRows = await rowsPerTable(sql, KEPT);
    expect(keptRows.messages).toBeGreaterThan(0);
    expect(keptRows.slack_events).toBeGreaterThan(0);
  });
});

describe("a revoked bot token, then a reinstall within the grace period", () => {
  test("stops answering, then answers again, and the purge that comes due keeps everything", async () => {
    const fact = await say(BACK, `the team mascot is ${facts[BACK]}`, { user: BOB });
    await mentionAnswered(BACK);
    // Only a user's token revoked: pup holds none, nothing changes.
    await deliver(BACK, { type: "tokens_revoked", tokens: { oauth: [ALICE] } });
    await mentionAnswered(BACK);
    expect((await state(BACK))?.uninstalledAt ?? null).toBeNull();

    await deliver(BACK, { type: "tokens_revoked", tokens: { oauth: [], bot: [PUP] } });
    await waitFor(async () => Boolean((await state(BACK))?.uninstalledAt), "the revocation");
    // Its purge is queued, delayed by the grace period (the last step of the uninstall).
    await waitFor(async () => (await purgeJobsOf(BACK)) === 1, "BACK's purge job");
    const unanswered = await say(BACK, "anyone?", { mention: true });
    await waitFor(() => refused(BACK).includes(unanswered.eventId), "the mention refused");
    await settle(pipeline);
    expect(answered(BACK, unanswered.ts)).toBe(false);

    expect(await onReinstalled(pipeline.services.deps, BACK)).toBe(true);
    expect((await state(BACK))?.uninstalledAt ?? null).toBeNull();
    expect(await auditActions(BACK)).toEqual(
      expect.arrayContaining([UNINSTALLED_ACTION, REINSTALLED_ACTION]),
    );
    await mentionAnswered(BACK);
    await deliver(BACK, { type: "app_home_opened", user: BOB, channel: room(BACK), tab: "home" });
    await waitFor(() => pipeline.slack.workspace.views.has(BOB), "the App Home published");

    // The purge job comes due and finds the workspace installed: nothing goes.
    await waitFor(
      async () => (await purgeJobsOf(BACK)) === 0,
      "BACK's purge job",
      GRACE_MS + 15_000,
    );
    expect((await stored(BACK, fact.ts))?.text).toContain(facts[BACK]);
    expect((await state(BACK))?.uninstalledAt ?? null).toBeNull();
    await mentionAnswered(BACK);
  }, 60_000);
});

describe("when the grace period ends", () => {
  test("every row of the workspace is purged, and only of that workspace", async () => {
    await waitFor(async () => (await state(GONE)) === undefined, "GONE's purge", GRACE_MS + 15_000);
    await waitFor(async () => (await purgeJobsOf(GONE)) === 0, "GONE's purge job to finish");
    await settle(pipeline);
    // Not one row of any table names it, or holds what was said there.
    const database = await scanDatabase(sql, [GONE, facts[GONE] ?? ""]);
    expect(database.tables).toBeGreaterThan(10);
    expect(database.hits).toEqual([]);
    const keys = await scanRedis(redis, prefix, [facts[GONE] ?? ""]);
    expect(keys.hits).toEqual([]);
    console.log(
      `residue-scan: workspace purged after the grace period: database ${database.tables} ` +
        `tables, ${database.rows} rows, ${database.hits.length} hits of its id or words; redis ` +
        `${keys.keys} keys, ${keys.values} values, ${keys.hits.length} hits of its words`,
    );
    // The other workspaces keep every row: KEPT as it was, BACK with what it said.
    expect(await rowsPerTable(sql, KEPT)).toEqual(keptRows);
    expect((await rowsPerTable(sql, facts[BACK] ?? "")).messages).toBeGreaterThan(0);
    expect((await rowsPerTable(sql, facts[KEPT] ?? "")).messages).toBeGreaterThan(0);
    await mentionAnswered(KEPT);
  }, 60_000);
});
