import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../core/src/shared/errors";
import { loadWorkerConfig, parseQueueSelection } from "./config";
import { QUEUE_NAMES } from "./queues";

const REDIS = { REDIS_URL: "redis://127.0.0.1:6379" };

function problems(env: Record<string, string>, args: string[]): string[] {
  try {
    loadWorkerConfig(env, args);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n").slice(1);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("queue selection", () => {
  test("defaults to every queue", () => {
    expect(parseQueueSelection([])).toEqual({ ok: true, queues: [...QUEUE_NAMES] });
  });

  test("accepts --queues a,b and --queues=a,b, trimming and dropping duplicates", () => {
    expect(parseQueueSelection(["--queues", "embedding,summary"])).toEqual({
      ok: true,
      queues: ["embedding", "summary"],
    });
    expect(parseQueueSelection(["--queues=summary, embedding,summary"])).toEqual({
      ok: true,
      queues: ["summary", "embedding"],
    });
  });

  test("names every unknown queue and lists the known ones", () => {
    expect(parseQueueSelection(["--queues", "embedding,bogus,emails"])).toEqual({
      ok: false,
      problem: {
        variable: "--queues",
        message:
          'unknown queue "bogus", "emails" (known queues: message, embedding, summary, profile, cleanup, privacy)',
      },
    });
  });

  test("refuses an empty selection, unknown flags and positionals", () => {
    expect(parseQueueSelection(["--queues", ","]).ok).toBe(false);
    const unknownFlag = parseQueueSelection(["--queue", "embedding"]);
    expect(unknownFlag.ok).toBe(false);
    expect(JSON.stringify(unknownFlag)).toContain("--queue");
    expect(parseQueueSelection(["embedding"]).ok).toBe(false);
  });
});

describe("worker config", () => {
  test("defaults", () => {
    const token = "xoxb-test-0000000000-0000000000000-worker";
    expect(loadWorkerConfig({ ...REDIS, SLACK_BOT_TOKEN: token }, [])).toEqual({
      runtime: { env: "development", logLevel: "info" },
      llm: { mode: "offline" },
      embedding: { dimensions: 512 },
      database: { url: undefined, dataDir: ".pup" },
      redis: { url: "redis://127.0.0.1:6379", prefix: "pup" },
      jobs: { embeddingConcurrency: 128, memoryTokens: 2000 },
      personality: { personaFile: undefined, indicator: "reaction", tuning: {} },
      limits: {
        userPerMinute: 20,
        teamPerMinute: 300,
        userDailyTokens: 200_000,
        dailyTokenCap: 20_000_000,
      },
      reply: { generationTimeoutMs: 45_000, claimLeaseMs: 180_000 },
      slack: { botToken: token, apiUrl: undefined },
      output: { linkAllowlist: ["slack.com"], secrets: [token] },
      privacy: { forgetSweepDelayMs: 300_000, uninstallGraceMs: 259_200_000 },
      metrics: undefined,
      queues: [...QUEUE_NAMES],
    });
  });

  test("WORKER_METRICS_PORT serves metrics on HOST; production needs PUP_METRICS_TOKEN for it", () => {
    const env = { ...REDIS, WORKER_METRICS_PORT: "9464" };
    expect(loadWorkerConfig(env, ["--queues", "embedding"]).metrics).toEqual({
      port: 9464,
      host: "127.0.0.1",
      metricsToken: undefined,
    });
    expect(() =>
      loadWorkerConfig({ ...env, PUP_ENV: "production" }, ["--queues", "embedding"]),
    ).toThrow("PUP_METRICS_TOKEN: required when PUP_ENV is production");
    expect(() =>
      loadWorkerConfig({ ...env, WORKER_METRICS_PORT: "lots" }, ["--queues", "embedding"]),
    ).toThrow("WORKER_METRICS_PORT: must be a port number");
    // Without a metrics port a production worker serves nothing, so needs no token.
    expect(
      loadWorkerConfig({ ...REDIS, PUP_ENV: "production" }, ["--queues", "embedding"]).metrics,
    ).toBeUndefined();
  });

  test("the message queue posts replies, so serving it needs SLACK_BOT_TOKEN", () => {
    expect(problems({ ...REDIS }, [])).toEqual([
      '  SLACK_BOT_TOKEN: is required to serve the "message" queue (it posts replies to Slack)',
    ]);
    expect(loadWorkerConfig(REDIS, ["--queues", "embedding"]).slack.botToken).toBeUndefined();
  });

  test("REDIS_URL is always required and the message says why", () => {
    expect(problems({}, [])).toEqual([
      "  REDIS_URL: required (a redis:// or rediss:// URL; BullMQ workers need Redis, the demo " +
        "runs them in-process)",
    ]);
  });

  test("environment and argument problems are reported together", () => {
    const lines = problems({ EMBEDDING_DIMENSIONS: "4096" }, ["--queues", "bogus"]);
    expect(lines.map((line) => line.trim().split(":")[0])).toEqual([
      "EMBEDDING_DIMENSIONS",
      "REDIS_URL",
      "--queues",
    ]);
  });

  test("shares the LLM and data settings with core", () => {
    const config = loadWorkerConfig(
      {
        ...REDIS,
        OPENAI_API_KEY: "sk-test",
        DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
        PUP_DATA_DIR: "/var/lib/pup",
      },
      ["--queues", "embedding"],
    );
    expect(config.llm.mode).toBe("openai");
    expect(config.database).toEqual({
      url: "postgres://postgres@127.0.0.1:5432/test",
      dataDir: "/var/lib/pup",
    });
    expect(config.queues).toEqual(["embedding"]);
  });
});
