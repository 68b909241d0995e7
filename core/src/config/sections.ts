/**
 * Groups of variables that several processes share (runtime, LLM, data, Redis), with the
 * nested shapes they turn into. Core, workers and the demo compose their schemas from these so
 * a variable means the same thing, with the same default, everywhere.
 */

import {
  httpUrl,
  integerBetween,
  type LogLevel,
  logLevel,
  oneOf,
  optional,
  type PupEnv,
  postgresUrl,
  pupEnv,
  redisUrl,
  secret,
  text,
  withDefault,
} from "./fields";
import { type MoodTuning, moodTuning } from "./mood-tuning";

/** pgvector's HNSW index refuses vectors wider than this. */
export const MAX_INDEXED_DIMENSIONS = 2000;

export const runtimeEntries = {
  PUP_ENV: withDefault(pupEnv, "development"),
  LOG_LEVEL: withDefault(logLevel, "info"),
};

export const llmEntries = {
  OPENAI_API_KEY: optional(secret(1)),
  OPENAI_BASE_URL: optional(httpUrl()),
  OPENAI_CHAT_MODEL: withDefault(text, "gpt-4o-mini"),
  OPENAI_EMBEDDING_MODEL: withDefault(text, "text-embedding-3-small"),
  EMBEDDING_DIMENSIONS: withDefault(integerBetween(1, MAX_INDEXED_DIMENSIONS), 512),
};

export const dataEntries = {
  DATABASE_URL: optional(postgresUrl),
  PUP_DATA_DIR: withDefault(text, ".pup"),
};

/** Jobs one process runs at once on the "embedding" queue; the batches form among them. */
export const DEFAULT_EMBEDDING_JOB_CONCURRENCY = 128;

/** Tokens of recalled memories in a reply's prompt (issue 5: about 2,000). */
export const DEFAULT_MEMORY_TOKENS = 2000;

export const jobEntries = {
  EMBEDDING_JOB_CONCURRENCY: withDefault(
    integerBetween(1, 1000),
    DEFAULT_EMBEDDING_JOB_CONCURRENCY,
  ),
  PUP_MEMORY_TOKENS: withDefault(integerBetween(100, 100_000), DEFAULT_MEMORY_TOKENS),
};

export const MOOD_INDICATORS = ["reaction", "footer", "off"] as const;

/** Unset means the committed default persona (core/persona/pup.json). */
export const personalityEntries = {
  PUP_PERSONA_FILE: optional(text),
  /** How the mood shows on replies: a reaction, a small footer line, or not at all. */
  /** How quickly the mood moves and settles (config/mood-tuning.ts); unset: the defaults. */
  PUP_MOOD_TUNING: optional(moodTuning),
  PUP_MOOD_INDICATOR: withDefault<(typeof MOOD_INDICATORS)[number]>(
    oneOf(MOOD_INDICATORS),
    "reaction",
  ),
};

export const redisEntries = {
  REDIS_URL: optional(redisUrl),
  /** Keeps pup's keys and BullMQ queues apart from others on the same Redis. */
  PUP_REDIS_PREFIX: withDefault(text, "pup"),
};

/** Which deployment this is and how much it logs. */
export interface RuntimeConfig {
  env: PupEnv;
  logLevel: LogLevel;
}

/**
 * The language model: `offline` (deterministic local embedder and responder) when neither
 * OPENAI_API_KEY nor OPENAI_BASE_URL is set, otherwise any OpenAI-compatible server. A base URL
 * without a key is allowed because local servers (Ollama, llama.cpp) usually need none.
 */
export type LlmConfig =
  | { mode: "offline" }
  | {
      mode: "openai";
      apiKey: string | undefined;
      baseUrl: string | undefined;
      chatModel: string;
      embeddingModel: string;
    };

/** Vector size for stored embeddings; changing it needs a re-embedding migration. */
export interface EmbeddingConfig {
  dimensions: number;
}

/** How the job runner of a process that runs jobs (workers; core with in-process queues) works. */
export interface JobsConfig {
  /**
   * Embedding jobs run at once. Jobs running together share one embedding request, so this
   * bounds the batch size (core/src/features/memory/embed-batcher.ts).
   */
  embeddingConcurrency: number;
  /** Tokens of recalled memories a reply's prompt may hold; it stays this size as history grows. */
  memoryTokens: number;
}

/** Who pup is: `personaFile` is a path (relative to the working directory) or unset. */
export interface PersonalityConfig {
  personaFile: string | undefined;
  indicator: (typeof MOOD_INDICATORS)[number];
  tuning: MoodTuning;
}

/** `url` unset means the embedded PGlite database under `dataDir`. */
export interface DatabaseConfig {
  url: string | undefined;
  dataDir: string;
}

/** `url` unset means in-process queue and cache (demo and development only). */
export interface RedisConfig {
  url: string | undefined;
  /** Prefix of every key and queue pup keeps in Redis (PUP_REDIS_PREFIX, default `pup`). */
  prefix: string;
}

export function toRuntimeConfig(input: { PUP_ENV: PupEnv; LOG_LEVEL: LogLevel }): RuntimeConfig {
  return { env: input.PUP_ENV, logLevel: input.LOG_LEVEL };
}

export function toLlmConfig(input: {
  OPENAI_API_KEY: string | undefined;
  OPENAI_BASE_URL: string | undefined;
  OPENAI_CHAT_MODEL: string;
  OPENAI_EMBEDDING_MODEL: string;
}): LlmConfig {
  if (input.OPENAI_API_KEY === undefined && input.OPENAI_BASE_URL === undefined) {
    return { mode: "offline" };
  }
  return {
    mode: "openai",
    apiKey: input.OPENAI_API_KEY,
    baseUrl: input.OPENAI_BASE_URL,
    chatModel: input.OPENAI_CHAT_MODEL,
    embeddingModel: input.OPENAI_EMBEDDING_MODEL,
  };
}

export function toJobsConfig(input: {
  EMBEDDING_JOB_CONCURRENCY: number;
  PUP_MEMORY_TOKENS: number;
}): JobsConfig {
  return {
    embeddingConcurrency: input.EMBEDDING_JOB_CONCURRENCY,
    memoryTokens: input.PUP_MEMORY_TOKENS,
  };
}

export function toDatabaseConfig(input: {
  DATABASE_URL: string | undefined;
  PUP_DATA_DIR: string;
}): DatabaseConfig {
  return { url: input.DATABASE_URL, dataDir: input.PUP_DATA_DIR };
}

export function toPersonalityConfig(input: {
  PUP_PERSONA_FILE: string | undefined;
  PUP_MOOD_INDICATOR: PersonalityConfig["indicator"];
  PUP_MOOD_TUNING: MoodTuning | undefined;
}): PersonalityConfig {
  return {
    personaFile: input.PUP_PERSONA_FILE,
    indicator: input.PUP_MOOD_INDICATOR,
    tuning: input.PUP_MOOD_TUNING ?? {},
  };
}
