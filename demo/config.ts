/**
 * The demo's configuration: everything optional, so `bun run demo` works on a bare checkout.
 * The demo signs its own Slack events and edge-to-core requests, so it never reads
 * SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN or CORE_SHARED_SECRET: it generates fresh ones at each
 * start (a real token lying around in the shell never reaches the demo's logs or stores).
 */
import * as v from "valibot";
import { logLevel, port, withDefault } from "../core/src/config/fields";
import { type Environment, loadConfig } from "../core/src/config/load";
import {
  type DatabaseConfig,
  dataEntries,
  type EmbeddingConfig,
  type LlmConfig,
  llmEntries,
  type PersonalityConfig,
  personalityEntries,
  type RedisConfig,
  type RuntimeConfig,
  redisEntries,
  runtimeEntries,
  toDatabaseConfig,
  toLlmConfig,
  toPersonalityConfig,
  toRuntimeConfig,
} from "../core/src/config/sections";

/** Secrets the demo's edge, core and fake Slack share within one run. */
export interface DemoSecrets {
  slackSigningSecret: string;
  slackBotToken: string;
  coreSharedSecret: string;
}

/** Everything the demo needs to start. */
export interface DemoConfig {
  runtime: RuntimeConfig;
  /** The chat page listens on 127.0.0.1 at this port. */
  http: { port: number };
  llm: LlmConfig;
  embedding: EmbeddingConfig;
  database: DatabaseConfig;
  /** `url` unset: in-process queue and cache. */
  redis: RedisConfig;
  personality: PersonalityConfig;
  secrets: DemoSecrets;
}

export const demoConfigSchema = v.pipe(
  v.object({
    ...runtimeEntries,
    // Logs share the terminal with the demo's progress lines: only problems by default.
    LOG_LEVEL: withDefault(logLevel, "warn"),
    PUP_DEMO_PORT: withDefault(port, 3000),
    ...llmEntries,
    ...dataEntries,
    ...redisEntries,
    ...personalityEntries,
  }),
  v.transform((input) => ({
    runtime: toRuntimeConfig(input),
    http: { port: input.PUP_DEMO_PORT },
    llm: toLlmConfig(input),
    embedding: { dimensions: input.EMBEDDING_DIMENSIONS },
    database: toDatabaseConfig(input),
    redis: { url: input.REDIS_URL, prefix: input.PUP_REDIS_PREFIX },
    personality: toPersonalityConfig(input),
  })),
);

/** 32 random bytes as hex: long enough for every secret field's minimum. */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads the demo configuration from `env` and generates this run's secrets.
 * @throws {ConfigError} listing every malformed variable.
 */
export function loadDemoConfig(env: Environment, generateSecret = randomSecret): DemoConfig {
  const config = loadConfig(demoConfigSchema, env);
  return {
    ...config,
    secrets: {
      slackSigningSecret: generateSecret(),
      slackBotToken: `xoxb-demo-${generateSecret()}`,
      coreSharedSecret: generateSecret(),
    },
  };
}
