// What building pup's services takes: the configuration every process (core, worker, demo)
// provides, and the options its starter or a test adds (services.ts builds from them).
import type { ModelsFromConfigOptions } from "../adapters/openai";
import type { Logger } from "../adapters/pino/logger";
import type { LimitsConfig } from "../config/limits";
import type { MoodTuning } from "../config/mood-tuning";
import type { PrivacyConfig } from "../config/privacy";
import type { DatabaseConfig, EmbeddingConfig, LlmConfig } from "../config/sections";
import type { MoodIndicator, PersonalitySettings } from "../features/personality";
import type { ProfileSettings } from "../features/profiles";
import type { ReplySettings } from "../features/reply";

/** The configuration the services need (core's, the worker's and the demo's all provide it). */
export interface ServicesConfig {
  llm: LlmConfig;
  embedding: EmbeddingConfig;
  database: DatabaseConfig;
  redis: { url: string | undefined; prefix?: string };
  slack: { botToken: string; apiUrl: string | undefined };
  /** Seals stored installation tokens; without it storing one fails with a clear error. */
  tokenEncryptionKey?: Uint8Array | undefined;
  /** Exact limits on replies, commands and tokens (unset: the defaults, config/limits.ts). */
  limits?: LimitsConfig;
  /** Reply generation timeout and claim lease (unset: the reply feature's defaults). */
  reply?: { generationTimeoutMs: number; claimLeaseMs: number };
  /** The forget sweep's delay and the uninstall grace (unset: the forget feature's defaults). */
  privacy?: PrivacyConfig;
  /** Links pup may post and secret values it never posts (unset: slack.com, the token and key). */
  output?: { linkAllowlist: readonly string[]; secrets: readonly string[] };
  /** The persona file (unset: the committed default) and how the mood shows on replies. */
  personality?: {
    personaFile?: string | undefined;
    indicator?: MoodIndicator | undefined;
    /** `PUP_MOOD_TUNING`: thresholds and decay times changed from the defaults. */
    tuning?: MoodTuning | undefined;
  };
}

export interface ServicesOptions {
  logger: Logger;
  /** Keeps Redis keys and BullMQ queues apart (tests, several pups on one Redis). */
  redisPrefix?: string;
  /** Applies pending migrations at start (default true; idempotent and locked). */
  migrate?: boolean;
  /** Progress lines from those migrations, for a human watching a first start (the demo). */
  onMigrationProgress?: (line: string) => void;
  reply?: Partial<ReplySettings>;
  /** Mood thresholds, repeat and engagement rules (tests tune them; operators use defaults). */
  personality?: Partial<Omit<PersonalitySettings, "persona">>;
  /** Timeouts, retries and the circuit breaker of the model adapters. */
  models?: Omit<ModelsFromConfigOptions, "logger">;
  /** Profile updates (benchmarks turn queueing off; the extractor follows the model's mode). */
  profiles?: Partial<ProfileSettings>;
  /** Unix milliseconds; default Date.now. */
  now?: () => number;
}
