/**
 * pup's commands over the real services: the test PostgreSQL (audit rows, role grants, reply
 * claims), Redis (the role cache), and the local Slack behind a front server on one loopback
 * origin that also serves `response_url`s, as the demo does. SLACK_API_URL is that origin's
 * `/api/`, so the contract lets pup post to its `/respond/…` URLs and nowhere else.
 */
import postgres from "postgres";
import { createSlackGateway } from "../../../core/src/adapters/slack";
import { handleCommand } from "../../../core/src/features/commands";
import { type CoreServices, createCoreServices } from "../../../core/src/start/services";
import { testRedisPrefix } from "../../contracts/queue-harness";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack";
import { uniqueName } from "../../setup/isolation";
import { capturingLogger, modelConfig } from "../../setup/pup-under-test";

export const ADMIN = "U0ADMIN001";
export const MEMBER = "U0MEMBER01";
export const OWNER = "U0OWNER001";
export const CHANNEL = "C0GENERAL1";
export const T0 = Date.UTC(2026, 10, 2, 9, 0);

/** How the front server answers a `response_url` POST (it records the post in every case). */
export type ResponseBehaviour = { kind: "ok" } | { kind: "slow"; ms: number } | { kind: "gone" };

export interface ResponsePost {
  id: string;
  body: { text?: string; response_type?: string };
}

/** A server on another loopback port: a `response_url` there has a foreign origin. */
export interface ForeignServer {
  url: string;
  hits: number;
  stop(): void;
}

export interface CommandsWorld {
  services: CoreServices;
  slack: FakeSlack;
  teamId: string;
  clock: { now: number };
  /** Every POST to a `response_url` on the front server. */
  responses: ResponsePost[];
  responseBehaviour: ResponseBehaviour;
  logs: Record<string, unknown>[];
  /** A fresh `response_url` on the Slack origin. */
  responseUrl(): string;
  /** `/pup <text>` as a forwarded slash command; `triggerId` repeats a delivery. */
  command(
    text: string,
    options?: { user?: string; triggerId?: string; responseUrl?: string | null },
  ): Promise<{ triggerId: string }>;
  ephemerals(): number;
  /** This team's audit rows, oldest first, read from PostgreSQL. */
  audit(): Promise<
    { actor: string; action: string; subject: string | null; details: Record<string, unknown> }[]
  >;
  foreignServer(): ForeignServer;
  stop(): Promise<void>;
}

export async function startCommandsWorld(): Promise<CommandsWorld> {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set (test/setup/preload.ts)");
  const slack = startFakeSlack({
    users: [
      { id: ADMIN, name: "ada", isAdmin: true },
      { id: MEMBER, name: "mel" },
      { id: OWNER, name: "otto" },
    ],
    channels: [{ id: CHANNEL, name: "general", visibility: "public", members: [ADMIN, MEMBER] }],
  });
  const owner = slack.workspace.directory.findUser(OWNER);
  if (owner) owner.is_owner = true;

  const responses: ResponsePost[] = [];
  const foreign: ForeignServer[] = [];
  const world = { responseBehaviour: { kind: "ok" } as ResponseBehaviour };
  const slackOrigin = new URL(slack.url).origin;
  const front = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname.startsWith("/respond/")) {
        const body = (await request.json()) as ResponsePost["body"];
        responses.push({ id: url.pathname.slice("/respond/".length), body });
        const behaviour = world.responseBehaviour;
        if (behaviour.kind === "gone") return new Response("expired_url", { status: 404 });
        if (behaviour.kind === "slow") await Bun.sleep(behaviour.ms);
        return new Response("ok");
      }
      // Everything else is the Web API: handed to the local Slack as it came.
      return fetch(`${slackOrigin}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body: request.method === "GET" ? undefined : await request.arrayBuffer(),
      });
    },
  });
  const origin = `http://127.0.0.1:${front.port}`;
  const { logger, logs } = capturingLogger();
  const clock = { now: T0 };
  const services = await createCoreServices(
    {
      llm: modelConfig(undefined),
      embedding: { dimensions: 512 },
      database: { url: databaseUrl, dataDir: "memory://" },
      redis: { url: process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379" },
      slack: { botToken: slack.token, apiUrl: `${origin}/api/` },
    },
    { logger, redisPrefix: testRedisPrefix("commands"), migrate: false, now: () => clock.now },
  );
  // The same gateway with a short response_url timeout, so a slow hook times out in the test.
  services.deps.slack = createSlackGateway({
    botToken: slack.token,
    apiUrl: `${origin}/api/`,
    cache: services.cache,
    logger,
    responseUrlTimeoutMs: 300,
  });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const responseUrl = () => `${origin}/respond/${crypto.randomUUID().replaceAll("-", "")}`;
  const teamId = `T${uniqueName("x")
    .replace(/[^a-z0-9]/gi, "")
    .toUpperCase()}`.slice(0, 20);

  return {
    services,
    slack,
    teamId,
    clock,
    responses,
    get responseBehaviour() {
      return world.responseBehaviour;
    },
    set responseBehaviour(behaviour: ResponseBehaviour) {
      world.responseBehaviour = behaviour;
    },
    logs,
    responseUrl,
    async command(text, options = {}) {
      const triggerId = options.triggerId ?? `${Date.now()}.${Math.floor(Math.random() * 1e9)}`;
      const url = options.responseUrl === null ? undefined : (options.responseUrl ?? responseUrl());
      const payload = {
        token: "unused",
        team_id: teamId,
        channel_id: CHANNEL,
        user_id: options.user ?? ADMIN,
        command: "/pup",
        text,
        api_app_id: "A0FAKEAPP1",
        trigger_id: triggerId,
        ...(url ? { response_url: url } : {}),
      };
      await handleCommand(services.deps, payload, `command:${teamId}:${triggerId}`);
      return { triggerId };
    },
    ephemerals: () => slack.callsTo("chat.postEphemeral").length,
    async audit() {
      return sql`select actor, action, subject, details from audit_log
                 where team_id = ${teamId} order by id`;
    },
    foreignServer() {
      const server: ForeignServer = { url: "", hits: 0, stop: () => {} };
      const listening = Bun.serve({
        hostname: "127.0.0.1",
        port: 0,
        fetch() {
          server.hits += 1;
          return new Response("ok");
        },
      });
      server.url = `http://127.0.0.1:${listening.port}/hook`;
      server.stop = () => listening.stop(true);
      foreign.push(server);
      return server;
    },
    async stop() {
      if (process.env.PUP_TEST_LOGS) {
        for (const line of logs) console.error(JSON.stringify(line).slice(0, 1500));
      }
      for (const server of foreign) server.stop();
      await services.close(2000);
      await sql.end({ timeout: 5 });
      front.stop(true);
      await slack.stop();
    },
  };
}
