/**
 * The core server's configuration: its schema over the environment and the nested object the
 * rest of core receives. Parsed once in main.ts.
 */
import * as v from "valibot";
import {
  base64Key,
  httpUrl,
  optional,
  port,
  required,
  secret,
  slackBotToken,
  withDefault,
} from "./fields";
import {
  HOST_REQUIRED,
  type HttpSurfaceConfig,
  httpSurfaceEntries,
  METRICS_TOKEN_REQUIRED,
  toHttpSurfaceConfig,
} from "./http-surface";
import { type LimitsConfig, limitsEntries, toLimitsConfig } from "./limits";
import { type Environment, loadConfig } from "./load";
import { type OutputConfig, outputEntries, toOutputConfig } from "./output";
import {
  type PrivacyConfig,
  privacyEntries,
  SWEEP_BEFORE_LEASE,
  sweepOutlastsLease,
  toPrivacyConfig,
} from "./privacy";
import {
  REPLY_LEASE_TOO_SHORT,
  type ReplyTimingConfig,
  replyLeaseFits,
  replyTimingEntries,
  toReplyTimingConfig,
} from "./reply";
import {
  type DatabaseConfig,
  dataEntries,
  type EmbeddingConfig,
  type JobsConfig,
  jobEntries,
  type LlmConfig,
  llmEntries,
  type PersonalityConfig,
  personalityEntries,
  type RedisConfig,
  type RuntimeConfig,
  redisEntries,
  runtimeEntries,
  toDatabaseConfig,
  toJobsConfig,
  toLlmConfig,
  toPersonalityConfig,
  toRuntimeConfig,
} from "./sections";

/** Edge and core share this secret to sign forwarded requests; shorter ones are guessable. */
export const CORE_SHARED_SECRET_MIN_LENGTH = 32;

/** Everything core needs to start, grouped by concern. */
export interface CoreConfig {
  runtime: RuntimeConfig;
  /** `host`: HOST (127.0.0.1 in development); `metricsToken`: PUP_METRICS_TOKEN. */
  http: { port: number } & HttpSurfaceConfig;
  slack: {
    botToken: string;
    /** Web API base URL ending in `/`; `undefined` means Slack's own. */
    apiUrl: string | undefined;
  };
  llm: LlmConfig;
  embedding: EmbeddingConfig;
  database: DatabaseConfig;
  redis: RedisConfig;
  /** Used when core runs the jobs itself (no REDIS_URL). */
  jobs: JobsConfig;
  personality: PersonalityConfig;
  /** Exact limits on replies, commands and model tokens (config/limits.ts, ADR-025). */
  limits: LimitsConfig;
  /** Reply generation timeout and claim lease (config/reply.ts, ADR-032). */
  reply: ReplyTimingConfig;
  /** PUP_LINK_ALLOWLIST and the secret values never posted (config/output.ts). */
  output: OutputConfig;
  /** The forget sweep's delay and the uninstall grace period (config/privacy.ts, ADR-034). */
  privacy: PrivacyConfig;
  security: {
    /** Verifies that requests to /internal/* were signed by the edge. */
    coreSharedSecret: string;
    /** Encrypts stored Slack installation tokens; `undefined` when not configured. */
    tokenEncryptionKey: Uint8Array | undefined;
  };
}

const coreEntries = {
  ...runtimeEntries,
  PORT: withDefault(port, 8080),
  ...httpSurfaceEntries,
  SLACK_BOT_TOKEN: required(slackBotToken),
  SLACK_API_URL: optional(httpUrl("add")),
  ...llmEntries,
  ...dataEntries,
  ...redisEntries,
  ...jobEntries,
  ...personalityEntries,
  ...limitsEntries,
  ...replyTimingEntries,
  ...privacyEntries,
  CORE_SHARED_SECRET: required(secret(CORE_SHARED_SECRET_MIN_LENGTH)),
  PUP_TOKEN_ENCRYPTION_KEY: optional(base64Key(32)),
  ...outputEntries,
};

/** Core's schema: variables in, {@link CoreConfig} out. */
export const coreConfigSchema = v.pipe(
  v.object(coreEntries),
  v.forward(
    v.partialCheck(
      [["PUP_ENV"], ["REDIS_URL"]],
      (input) => input.PUP_ENV === "development" || input.REDIS_URL !== undefined,
      "required when PUP_ENV is staging or production (the in-process queue and cache are " +
        "for the demo and development only)",
    ),
    ["REDIS_URL"],
  ),
  v.forward(
    v.partialCheck(
      [["PUP_ENV"], ["HOST"]],
      (input) => input.PUP_ENV === "development" || input.HOST !== undefined,
      HOST_REQUIRED,
    ),
    ["HOST"],
  ),
  v.forward(
    v.partialCheck(
      [["PUP_ENV"], ["PUP_METRICS_TOKEN"]],
      (input) => input.PUP_ENV !== "production" || input.PUP_METRICS_TOKEN !== undefined,
      METRICS_TOKEN_REQUIRED,
    ),
    ["PUP_METRICS_TOKEN"],
  ),
  v.forward(
    v.partialCheck(
      [["PUP_REPLY_TIMEOUT_MS"], ["PUP_REPLY_CLAIM_LEASE_MS"]],
      replyLeaseFits,
      REPLY_LEASE_TOO_SHORT,
    ),
    ["PUP_REPLY_CLAIM_LEASE_MS"],
  ),
  v.forward(
    v.partialCheck(
      [["PUP_ENV"], ["PUP_FORGET_SWEEP_DELAY_MS"], ["PUP_REPLY_CLAIM_LEASE_MS"]],
      sweepOutlastsLease,
      SWEEP_BEFORE_LEASE,
    ),
    ["PUP_FORGET_SWEEP_DELAY_MS"],
  ),
  v.transform(
    (input): CoreConfig => ({
      runtime: toRuntimeConfig(input),
      http: { port: input.PORT, ...toHttpSurfaceConfig(input) },
      slack: { botToken: input.SLACK_BOT_TOKEN, apiUrl: input.SLACK_API_URL },
      llm: toLlmConfig(input),
      embedding: { dimensions: input.EMBEDDING_DIMENSIONS },
      database: toDatabaseConfig(input),
      redis: { url: input.REDIS_URL, prefix: input.PUP_REDIS_PREFIX },
      jobs: toJobsConfig(input),
      personality: toPersonalityConfig(input),
      limits: toLimitsConfig(input),
      reply: toReplyTimingConfig(input),
      output: toOutputConfig(input),
      privacy: toPrivacyConfig(input),
      security: {
        coreSharedSecret: input.CORE_SHARED_SECRET,
        tokenEncryptionKey: input.PUP_TOKEN_ENCRYPTION_KEY,
      },
    }),
  ),
);

/**
 * Reads core's configuration from `env`.
 * @throws {ConfigError} listing every missing or malformed variable.
 */
export function loadCoreConfig(env: Environment): CoreConfig {
  return loadConfig(coreConfigSchema, env);
}
