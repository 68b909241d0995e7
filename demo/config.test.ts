import { describe, expect, test } from "bun:test";
import { CORE_SHARED_SECRET_MIN_LENGTH } from "../core/src/config/core";
import { ConfigError } from "../core/src/shared/errors";
import { loadDemoConfig } from "./config";

describe("demo config", () => {
  test("starts on an empty environment with embedded defaults", () => {
    const config = loadDemoConfig({});
    expect(config.runtime).toEqual({ env: "development", logLevel: "warn" });
    expect(config.http).toEqual({ port: 3000 });
    expect(config.llm).toEqual({ mode: "offline" });
    expect(config.personality).toEqual({
      personaFile: undefined,
      indicator: "reaction",
      tuning: {},
    });
    expect(config.embedding).toEqual({ dimensions: 512 });
    expect(config.database).toEqual({ url: undefined, dataDir: ".pup" });
    expect(config.redis).toEqual({ url: undefined, prefix: "pup" });
  });

  test("generates secrets that core and the edge would accept, fresh at each start", () => {
    const first = loadDemoConfig({});
    const second = loadDemoConfig({});
    expect(first.secrets.coreSharedSecret.length).toBeGreaterThanOrEqual(
      CORE_SHARED_SECRET_MIN_LENGTH,
    );
    expect(first.secrets.slackBotToken).toStartWith("xoxb-");
    expect(first.secrets.slackSigningSecret).not.toBe(second.secrets.slackSigningSecret);
  });

  test("ignores Slack and core secrets from the shell", () => {
    const config = loadDemoConfig(
      { SLACK_BOT_TOKEN: "xoxb-real-workspace-token", CORE_SHARED_SECRET: "x".repeat(40) },
      () => "generated",
    );
    expect(config.secrets).toEqual({
      slackSigningSecret: "generated",
      slackBotToken: "xoxb-demo-generated",
      coreSharedSecret: "generated",
    });
  });

  test("reads its port, data directory and optional services", () => {
    const config = loadDemoConfig({
      PUP_DEMO_PORT: "3100",
      PUP_DATA_DIR: "/tmp/pup-demo",
      REDIS_URL: "redis://127.0.0.1:6379",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
    });
    expect(config.http.port).toBe(3100);
    expect(config.database.dataDir).toBe("/tmp/pup-demo");
    expect(config.redis.url).toBe("redis://127.0.0.1:6379");
    expect(config.llm.mode).toBe("openai");
  });

  test("malformed values stop it with every problem named", () => {
    try {
      loadDemoConfig({ PUP_DEMO_PORT: "web", DATABASE_URL: "sqlite://pup.db" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((problem) => problem.variable)).toEqual([
        "PUP_DEMO_PORT",
        "DATABASE_URL",
      ]);
    }
  });
});
