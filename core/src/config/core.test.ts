import { describe, expect, test } from "bun:test";
import { ConfigError } from "../shared/errors";
import { loadCoreConfig } from "./core";

const SHARED_SECRET = "s3cr3t-shared-between-edge-and-core";
const BOT_TOKEN = "xoxb-1111-2222-bot-token-value";

/** The smallest valid core environment. */
const minimal = { SLACK_BOT_TOKEN: BOT_TOKEN, CORE_SHARED_SECRET: SHARED_SECRET };

function problems(env: Record<string, string>): string[] {
  try {
    loadCoreConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n").slice(1);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("core config", () => {
  test("defaults", () => {
    expect(loadCoreConfig(minimal)).toEqual({
      runtime: { env: "development", logLevel: "info" },
      http: { port: 8080, host: "127.0.0.1", metricsToken: undefined },
      slack: { botToken: BOT_TOKEN, apiUrl: undefined },
      llm: { mode: "offline" },
      embedding: { dimensions: 512 },
      database: { url: undefined, dataDir: ".pup" },
      redis: { url: undefined, prefix: "pup" },
      jobs: { embeddingConcurrency: 128, memoryTokens: 2000 },
      personality: { personaFile: undefined, indicator: "reaction", tuning: {} },
      limits: {
        userPerMinute: 20,
        teamPerMinute: 300,
        userDailyTokens: 200_000,
        dailyTokenCap: 20_000_000,
      },
      reply: { generationTimeoutMs: 45_000, claimLeaseMs: 180_000 },
      privacy: { forgetSweepDelayMs: 300_000, uninstallGraceMs: 259_200_000 },
      security: { coreSharedSecret: SHARED_SECRET, tokenEncryptionKey: undefined },
      output: { linkAllowlist: ["slack.com"], secrets: [BOT_TOKEN, SHARED_SECRET] },
    });
  });

  test("EMBEDDING_JOB_CONCURRENCY sets the embedding queue's concurrency, 1..1000", () => {
    expect(loadCoreConfig({ ...minimal, EMBEDDING_JOB_CONCURRENCY: "8" }).jobs).toEqual({
      embeddingConcurrency: 8,
      memoryTokens: 2000,
    });
    expect(problems({ ...minimal, EMBEDDING_JOB_CONCURRENCY: "0" })).toEqual([
      '  EMBEDDING_JOB_CONCURRENCY: must be an integer between 1 and 1000, got "0"',
    ]);
  });

  test("PUP_MEMORY_TOKENS sets the prompt's memory budget, 100..100000", () => {
    expect(loadCoreConfig({ ...minimal, PUP_MEMORY_TOKENS: "500" }).jobs.memoryTokens).toBe(500);
    expect(problems({ ...minimal, PUP_MEMORY_TOKENS: "50" })).toEqual([
      '  PUP_MEMORY_TOKENS: must be an integer between 100 and 100000, got "50"',
    ]);
  });

  test("PUP_PERSONA_FILE names the persona file; unset means the committed default", () => {
    const config = loadCoreConfig({ ...minimal, PUP_PERSONA_FILE: " persona/team.json " });
    expect(config.personality).toEqual({
      personaFile: "persona/team.json",
      indicator: "reaction",
      tuning: {},
    });
    expect(loadCoreConfig({ ...minimal, PUP_PERSONA_FILE: "" }).personality.personaFile).toBe(
      undefined,
    );
  });

  test("PUP_MOOD_INDICATOR picks how the mood shows; anything else is refused", () => {
    expect(loadCoreConfig({ ...minimal, PUP_MOOD_INDICATOR: "footer" }).personality.indicator).toBe(
      "footer",
    );
    expect(problems({ ...minimal, PUP_MOOD_INDICATOR: "banner" })).toHaveLength(1);
    expect(problems({ ...minimal, PUP_MOOD_INDICATOR: "banner" })[0]).toContain(
      "PUP_MOOD_INDICATOR",
    );
  });

  test("every required variable missing is reported", () => {
    expect(problems({})).toEqual([
      '  SLACK_BOT_TOKEN: required (a bot token starting with "xoxb-")',
      "  CORE_SHARED_SECRET: required (at least 32 characters)",
    ]);
  });

  test("malformed values are all reported together", () => {
    const lines = problems({
      ...minimal,
      PORT: "eighty",
      SLACK_API_URL: "127.0.0.1:9999",
      OPENAI_BASE_URL: "ollama",
      EMBEDDING_DIMENSIONS: "abc",
      DATABASE_URL: "mysql://127.0.0.1/pup",
      REDIS_URL: "127.0.0.1:6379",
      PUP_ENV: "prod",
      LOG_LEVEL: "loud",
      PUP_TOKEN_ENCRYPTION_KEY: "c2hvcnQ=",
    });
    expect(lines.map((line) => line.trim().split(":")[0])).toEqual([
      "PUP_ENV",
      "LOG_LEVEL",
      "PORT",
      "SLACK_API_URL",
      "OPENAI_BASE_URL",
      "EMBEDDING_DIMENSIONS",
      "DATABASE_URL",
      "REDIS_URL",
      "PUP_TOKEN_ENCRYPTION_KEY",
    ]);
    expect(lines).toContain(
      '  EMBEDDING_DIMENSIONS: must be an integer between 1 and 2000, got "abc"',
    );
  });

  test("secrets never appear in messages", () => {
    const shortSecret = "tooShortSecretValue";
    const userToken = "xoxp-9999-secret-user-token";
    const key = btoa("sixteen-byte-key");
    const message = problems({
      SLACK_BOT_TOKEN: userToken,
      CORE_SHARED_SECRET: shortSecret,
      OPENAI_API_KEY: "sk-live-abcdef",
      PUP_TOKEN_ENCRYPTION_KEY: key,
      DATABASE_URL: "mysql://pup:db-password@127.0.0.1/pup",
      EMBEDDING_DIMENSIONS: "0",
    }).join("\n");
    expect(message).toContain("CORE_SHARED_SECRET: must be at least 32 characters, got 19");
    expect(message).toContain('SLACK_BOT_TOKEN: must be a bot token starting with "xoxb-"');
    for (const value of [shortSecret, userToken, "9999-secret", "sk-live", key, "db-password"]) {
      expect(message).not.toContain(value);
    }
  });

  test.each(["staging", "production"])("REDIS_URL is required when PUP_ENV=%s", (env) => {
    const deployed = { ...minimal, HOST: "0.0.0.0", PUP_METRICS_TOKEN: "metrics-token-0123456789" };
    expect(problems({ ...deployed, PUP_ENV: env })).toEqual([
      "  REDIS_URL: required when PUP_ENV is staging or production (the in-process queue and " +
        "cache are for the demo and development only)",
    ]);
    const config = loadCoreConfig({
      ...deployed,
      PUP_ENV: env,
      REDIS_URL: "redis://10.0.0.5:6379",
    });
    expect(config.redis.url).toBe("redis://10.0.0.5:6379");
  });

  test("the REDIS_URL rule is reported alongside other problems", () => {
    const lines = problems({ PUP_ENV: "production", SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(lines.map((line) => line.trim().split(":")[0])).toEqual([
      "CORE_SHARED_SECRET",
      "REDIS_URL",
      "HOST",
      "PUP_METRICS_TOKEN",
    ]);
  });

  test("development runs without Redis", () => {
    expect(loadCoreConfig({ ...minimal, PUP_ENV: "development" }).redis.url).toBeUndefined();
  });

  test("an OpenAI-compatible server is used when a key or a base URL is set", () => {
    expect(loadCoreConfig({ ...minimal, OPENAI_API_KEY: "sk-test" }).llm).toEqual({
      mode: "openai",
      apiKey: "sk-test",
      baseUrl: undefined,
      chatModel: "gpt-4o-mini",
      embeddingModel: "text-embedding-3-small",
    });
    const local = loadCoreConfig({
      ...minimal,
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      OPENAI_CHAT_MODEL: "llama3.2",
      OPENAI_EMBEDDING_MODEL: "nomic-embed-text",
      EMBEDDING_DIMENSIONS: "768",
    });
    expect(local.llm).toEqual({
      mode: "openai",
      apiKey: undefined,
      baseUrl: "http://127.0.0.1:11434/v1",
      chatModel: "llama3.2",
      embeddingModel: "nomic-embed-text",
    });
    expect(local.embedding.dimensions).toBe(768);
  });

  test("SLACK_API_URL gets its trailing slash", () => {
    const config = loadCoreConfig({ ...minimal, SLACK_API_URL: "http://127.0.0.1:9999/api" });
    expect(config.slack.apiUrl).toBe("http://127.0.0.1:9999/api/");
  });

  test("PUP_TOKEN_ENCRYPTION_KEY decodes to 32 bytes", () => {
    const key = btoa("k".repeat(32));
    const config = loadCoreConfig({ ...minimal, PUP_TOKEN_ENCRYPTION_KEY: key });
    expect(config.security.tokenEncryptionKey?.length).toBe(32);
  });

  test("blank variables count as unset", () => {
    const config = loadCoreConfig({ ...minimal, PORT: "", DATABASE_URL: " ", LOG_LEVEL: "" });
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBeUndefined();
    expect(config.runtime.logLevel).toBe("info");
  });
});
