/**
 * What the memory-rights end-to-end tests (issue 16) share: pup as deployed (the pipeline
 * harness: real PostgreSQL, Redis, BullMQ, the local Slack and OpenAI servers) in a workspace of
 * the test's own, with the real edge in workerd in front of core through a gate: a small HTTP
 * proxy that answers 503 for the bodies a test chooses, so the edge keeps exactly those in its
 * fallback queue until the test opens the gate. Plus Slack's requests through the edge (events,
 * `/pup`, button clicks) and the waits those tests need.
 */
import { expect } from "bun:test";
import type { Redis } from "ioredis";
import postgres from "postgres";
import { createRedisClient } from "../../../core/src/adapters/redis";
import { QUEUE_NAMES, type QueueName } from "../../../core/src/ports/job-queue";
import { createDb } from "../../../db/client";
import { migrateDatabase } from "../../../db/migrate";
import { createScratchDatabase, uniqueName } from "../../setup/isolation";
import { deliverEvent, signedFormHeaders } from "../edge/slack-requests";
import { type EdgeUnderTest, startEdge } from "../edge/workerd";
import { channelTypeOf, newTeamId } from "./conversations";
import { type Gate, startGate } from "./gate";
import { type Pipeline, PUP, said, startPipeline, waitFor } from "./harness";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";

export interface ForgetWorld {
  pipeline: Pipeline;
  edge: EdgeUnderTest;
  gate: Gate;
  team: string;
  /** The pipeline's PUP_REDIS_PREFIX: every key of this pup (BullMQ's included) starts with it. */
  redisPrefix: string;
  redis: Redis;
  sql: postgres.Sql;
  stop(): Promise<void>;
}

/**
 * pup in a workspace of its own (`tag` names it), profiles on (the offline extractor, a short
 * window so the profile jobs run within the test) and the edge behind a gate. The edge retries
 * its fallback queue every second, so a payload let through the gate arrives within seconds.
 */
export async function startForgetWorld(tag: string): Promise<ForgetWorld> {
  const team = newTeamId(tag.toUpperCase());
  const redisPrefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}${tag}`);
  // A database of its own: the residue scans read every row of every table, so no other test's
  // people (the harness names them alike) may be in it.
  const database = await createScratchDatabase(`pup_${tag}`);
  const handle = createDb({ databaseUrl: database.url, dataDir: "", embeddingDimensions: 512 });
  try {
    await migrateDatabase(handle, { embeddingDimensions: 512 });
  } finally {
    await handle.close();
  }
  const pipeline = await startPipeline({
    databaseUrl: database.url,
    redisPrefix,
    slackTeam: team,
    profiles: { enqueue: true, extractor: "offline", windowMs: 300 },
  });
  const gate = startGate(pipeline.coreUrl);
  const edge = await startEdge({
    coreUrl: gate.url,
    // Generous: a slow test machine must not send an ordinary delivery to the queue.
    deadlineMs: 2500,
    bindings: {
      FORWARD_RETRY_BASE_SECONDS: "1",
      FORWARD_RETRY_MAX_SECONDS: "1",
      FORWARD_MAX_RETRIES: "100",
    },
    queues: { maxRetries: 100, retryDelaySeconds: 1 },
  });
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const redis = createRedisClient(REDIS_URL, { connectionName: `pup-${tag}-e2e` });
  return {
    pipeline,
    edge,
    gate,
    team,
    redisPrefix,
    redis,
    sql,
    async stop() {
      await pipeline.stop();
      await edge.dispose();
      gate.stop();
      redis.disconnect();
      await sql.end({ timeout: 5 });
      await database.drop();
    },
  };
}

/** A word found nowhere else (letters and digits only, so full-text search keeps it whole). */
export function canary(tag: string): string {
  return `${tag}${Math.random().toString(36).slice(2, 9)}${Math.floor(Math.random() * 9) + 1}`;
}

/** Adds a DM between `user` and pup to the local Slack; returns its id. */
export function dmOf(world: ForgetWorld, user: string): string {
  const id = `D0${crypto.randomUUID().replaceAll("-", "").slice(0, 9).toUpperCase()}`;
  world.pipeline.slack.addChannel({ id, name: id, visibility: "im", user });
  return id;
}

export interface Spoken {
  channel: string;
  ts: string;
  text: string;
  eventId: string;
}

/**
 * `user` says `text` in `channel` through the edge (Slack-signed); with `stored` (default) waits
 * until core has stored it. A mention of pup (`mention`) is an `app_mention`.
 */
export async function speak(
  world: ForgetWorld,
  user: string,
  channel: string,
  text: string,
  options: { mention?: boolean; stored?: boolean } = {},
): Promise<Spoken> {
  const message = said(world.pipeline, options.mention ? `<@${PUP}> ${text}` : text, {
    team: world.team,
    channel,
    user,
    channelType: channelTypeOf(channel),
    mention: options.mention === true && !channel.startsWith("D"),
  });
  const delivery = await deliverEvent(world.edge, message.envelope);
  expect(delivery.status).toBe(200);
  if (options.stored !== false) await storedMessage(world, channel, message.ts);
  return {
    channel,
    ts: message.ts,
    text: String((message.envelope.event as { text: string }).text),
    eventId: String(message.envelope.event_id),
  };
}

/** Waits until core has stored the message `channel`/`ts`. */
export async function storedMessage(world: ForgetWorld, channel: string, ts: string) {
  await waitFor(
    async () =>
      (await world.pipeline.services.data.messages.find({
        teamId: world.team,
        channelId: channel,
        ts,
      })) !== undefined,
    `message ${channel}/${ts} to be stored`,
  );
}

/** `/pup <text>` from `user` in `channel` through the edge; returns the response_url used. */
export async function slashCommand(
  world: ForgetWorld,
  user: string,
  channel: string,
  text: string,
): Promise<string> {
  const responseUrl = world.pipeline.slack.responseUrl();
  const body = new URLSearchParams({
    token: "unused",
    team_id: world.team,
    team_domain: "pup-test",
    channel_id: channel,
    channel_name: channel.toLowerCase(),
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/pup",
    text,
    api_app_id: "A0FAKEAPP1",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abcdef`,
  }).toString();
  const response = await world.edge.fetch("/slack/commands", {
    method: "POST",
    headers: await signedFormHeaders(body),
    body,
  });
  expect(response.status).toBe(200);
  await response.text();
  return responseUrl;
}

/** What pup posted to one response_url (a command's or a click's answers), oldest first. */
export function answersTo(world: ForgetWorld, responseUrl: string): Record<string, unknown>[] {
  const path = new URL(responseUrl).pathname;
  return world.pipeline.slack.responses
    .filter((posted) => posted.path === path)
    .map((posted) => posted.body);
}

/** An interactive element with `actionId` somewhere in `value`, and the block that holds it. */
export function findAction(
  value: unknown,
  actionId: string,
  block?: Record<string, unknown>,
): { action: Record<string, unknown>; block: Record<string, unknown> | undefined } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findAction(item, actionId, block);
      if (found) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (record.action_id === actionId) return { action: record, block };
  const holder = typeof record.block_id === "string" ? record : block;
  for (const inner of Object.values(record)) {
    const found = findAction(inner, actionId, holder);
    if (found) return found;
  }
  return undefined;
}

/** `user` clicks the button `action` (found in pup's answer) through the edge, as Slack sends it. */
export async function clickButton(
  world: ForgetWorld,
  user: string,
  channel: string,
  found: { action: Record<string, unknown>; block: Record<string, unknown> | undefined },
): Promise<string> {
  const responseUrl = world.pipeline.slack.responseUrl();
  const now = (Date.now() / 1000).toFixed(6);
  const payload = {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: world.team },
    api_app_id: "A0FAKEAPP1",
    token: "unused",
    container: { type: "message", message_ts: now, channel_id: channel, is_ephemeral: true },
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.fedcba`,
    team: { id: world.team, domain: "pup-test" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: channel.toLowerCase() },
    response_url: responseUrl,
    actions: [
      {
        action_id: String(found.action.action_id),
        block_id: String(found.block?.block_id ?? found.action.block_id ?? "block"),
        text: found.action.text ?? { type: "plain_text", text: "Yes" },
        ...(found.action.value === undefined ? {} : { value: String(found.action.value) }),
        ...(found.action.style === undefined ? {} : { style: found.action.style }),
        type: String(found.action.type ?? "button"),
        action_ts: now,
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const response = await world.edge.fetch("/slack/interactions", {
    method: "POST",
    headers: await signedFormHeaders(body),
    body,
  });
  expect(response.status).toBe(200);
  await response.text();
  return responseUrl;
}

/**
 * Waits until no queue has waiting or active jobs, and the queues fed by messages (message,
 * embedding, profile) have no delayed ones either. Daily summary plans and the sweep that
 * follows a forget (minutes later) stay delayed by design.
 */
export async function drain(world: ForgetWorld, timeoutMs = 30_000): Promise<void> {
  const delayedCounts = new Set<QueueName>(["message", "embedding", "profile"]);
  await waitFor(
    async () => {
      for (const queue of QUEUE_NAMES) {
        const depth = await world.pipeline.services.queue.depth(queue);
        if (depth.waiting + depth.active > 0) return false;
        if (delayedCounts.has(queue) && depth.delayed > 0) return false;
      }
      return true;
    },
    "every queue to drain",
    timeoutMs,
  );
}

/** The whole request pup sent the model for the newest chat call after `before` calls. */
export function chatRequestAfter(world: ForgetWorld, before: number): string {
  const request = world.pipeline.openai.chatRequests()[before];
  return JSON.stringify(request?.body.messages ?? []);
}
