// The process starter on in-process adapters (PGlite in memory, no Redis) and the local Slack.
import { afterAll, describe, expect, test } from "bun:test";
import { type FakeSlack, startFakeSlack } from "../../../test/fakes/slack";
import type { Logger } from "../adapters/pino/logger";
import { createLogger } from "../adapters/pino/logger";
import { StartError } from "./start-error";
import { startPup } from "./start-pup";

const lines: Record<string, unknown>[] = [];
const logger: Logger = createLogger({
  level: "info",
  env: "development",
  name: "core",
  destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
});

const slacks: FakeSlack[] = [];
afterAll(async () => {
  for (const slack of slacks) await slack.stop();
});

function config(apiUrl: string, botToken: string, redisUrl?: string) {
  return {
    llm: { mode: "offline" as const },
    embedding: { dimensions: 512 },
    database: { url: undefined, dataDir: "memory://" },
    redis: { url: redisUrl },
    slack: { botToken, apiUrl },
  };
}

describe("startPup", () => {
  test("a worker whose Redis does not answer fails at once, naming REDIS_URL", async () => {
    const start = startPup({
      role: "worker",
      config: config("http://127.0.0.1:1/api/", "xoxb-unused", "redis://127.0.0.1:1"),
      logger,
    });
    await expect(start).rejects.toBeInstanceOf(StartError);
    await expect(start).rejects.toThrow("cannot reach Redis at redis://127.0.0.1:1 (REDIS_URL)");
  });

  test("core without Redis runs every queue itself, serves HTTP, and stops", async () => {
    const slack = startFakeSlack({});
    slacks.push(slack);
    const pup = await startPup({
      role: "core",
      config: config(slack.url, slack.token),
      logger,
      checkSlack: true,
      http: { hostname: "127.0.0.1", port: 0, coreSharedSecret: "x".repeat(32), version: "t" },
    });
    try {
      expect(pup.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${pup.url}/healthz`);
      expect(await health.json()).toEqual({ status: "ok" });
      expect(slack.callsTo("auth.test").length).toBeGreaterThan(0);
      expect(lines.find((l) => l.msg === "core listening")).toMatchObject({
        queues: "in-process",
        database: "pglite",
        llm: "offline",
      });
    } finally {
      await pup.stop(1000);
    }
    await expect(fetch(`${pup.url}/healthz`)).rejects.toThrow();
  }, 60_000);

  test("a Slack that does not answer auth.test fails the start with a one-line reason", async () => {
    const start = startPup({
      role: "core",
      config: config("http://127.0.0.1:1/api/", "xoxb-nowhere"),
      logger,
      checkSlack: true,
      services: { models: { timeoutMs: 500, maxRetries: 0 } },
    });
    await expect(start).rejects.toBeInstanceOf(StartError);
    await expect(start).rejects.toThrow("pup could not reach Slack (auth.test)");
  }, 60_000);
});
