/**
 * The worker process's configuration: environment (data, LLM, Redis) plus the queues to serve,
 * chosen on the command line with `--queues embedding,summary` (default: all). Parsed once in
 * main.ts; environment and argument problems are reported together.
 */
import { parseArgs } from "node:util";
import * as v from "valibot";
import {
  httpUrl,
  optional,
  port,
  redisUrl,
  required,
  slackBotToken,
  text,
  withDefault,
} from "../../core/src/config/fields";
import {
  type HttpSurfaceConfig,
  httpSurfaceEntries,
  METRICS_TOKEN_REQUIRED,
  toHttpSurfaceConfig,
} from "../../core/src/config/http-surface";
import { type LimitsConfig, limitsEntries, toLimitsConfig } from "../../core/src/config/limits";
import { type Environment, loadConfig } from "../../core/src/config/load";
import { type OutputConfig, outputEntries, toOutputConfig } from "../../core/src/config/output";
import {
  type PrivacyConfig,
  privacyEntries,
  SWEEP_BEFORE_LEASE,
  sweepOutlastsLease,
  toPrivacyConfig,
} from "../../core/src/config/privacy";
import {
  REPLY_LEASE_TOO_SHORT,
  type ReplyTimingConfig,
  replyLeaseFits,
  replyTimingEntries,
  toReplyTimingConfig,
} from "../../core/src/config/reply";
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
  type RuntimeConfig,
  runtimeEntries,
  toDatabaseConfig,
  toJobsConfig,
  toLlmConfig,
  toPersonalityConfig,
  toRuntimeConfig,
} from "../../core/src/config/sections";
import { ConfigError, type ConfigProblem } from "../../core/src/shared/errors";
import { isQueueName, QUEUE_NAMES, type QueueName } from "./queues";

/** Everything a worker process needs to start. */
export interface WorkerConfig {
  runtime: RuntimeConfig;
  llm: LlmConfig;
  embedding: EmbeddingConfig;
  database: DatabaseConfig;
  redis: { url: string; prefix: string };
  jobs: JobsConfig;
  personality: PersonalityConfig;
  /** Workers reply: the same exact limits as core (config/limits.ts, ADR-025). */
  limits: LimitsConfig;
  /** Workers reply: the same generation timeout and claim lease as core (config/reply.ts). */
  reply: ReplyTimingConfig;
  /** Needed by the "message" queue, which posts replies; checked when that queue is served. */
  slack: { botToken: string | undefined; apiUrl: string | undefined };
  /** Workers post replies: the same output filter policy as core (config/output.ts). */
  output: OutputConfig;
  /** Workers run forgets and uninstalls: the same delays as core (config/privacy.ts). */
  privacy: PrivacyConfig;
  /**
   * `/metrics`, `/healthz` and `/health` on WORKER_METRICS_PORT when set, bound to HOST and
   * guarded by PUP_METRICS_TOKEN exactly as core's are (config/http-surface.ts).
   */
  metrics: (HttpSurfaceConfig & { port: number }) | undefined;
  /** Queues this process serves, without duplicates, in the order given. */
  queues: QueueName[];
}

type WorkerEnvConfig = Omit<WorkerConfig, "queues">;

export const workerConfigSchema = v.pipe(
  v.object({
    ...runtimeEntries,
    ...llmEntries,
    ...dataEntries,
    ...jobEntries,
    ...personalityEntries,
    ...limitsEntries,
    ...replyTimingEntries,
    ...privacyEntries,
    ...outputEntries,
    SLACK_BOT_TOKEN: optional(slackBotToken),
    SLACK_API_URL: optional(httpUrl("add")),
    PUP_REDIS_PREFIX: withDefault(text, "pup"),
    WORKER_METRICS_PORT: optional(port),
    ...httpSurfaceEntries,
    // Unlike core, never optional: BullMQ lives in Redis. The demo runs workers in-process.
    REDIS_URL: required({
      ...redisUrl,
      expects: `${redisUrl.expects}; BullMQ workers need Redis, the demo runs them in-process`,
    }),
  }),
  // A worker that serves its metrics in production guards them, as core must (ADR-026).
  v.forward(
    v.partialCheck(
      [["PUP_ENV"], ["WORKER_METRICS_PORT"], ["PUP_METRICS_TOKEN"]],
      (input) =>
        input.PUP_ENV !== "production" ||
        input.WORKER_METRICS_PORT === undefined ||
        input.PUP_METRICS_TOKEN !== undefined,
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
    (input): WorkerEnvConfig => ({
      runtime: toRuntimeConfig(input),
      llm: toLlmConfig(input),
      embedding: { dimensions: input.EMBEDDING_DIMENSIONS },
      database: toDatabaseConfig(input),
      redis: { url: input.REDIS_URL, prefix: input.PUP_REDIS_PREFIX },
      jobs: toJobsConfig(input),
      personality: toPersonalityConfig(input),
      limits: toLimitsConfig(input),
      reply: toReplyTimingConfig(input),
      slack: { botToken: input.SLACK_BOT_TOKEN, apiUrl: input.SLACK_API_URL },
      output: toOutputConfig(input),
      privacy: toPrivacyConfig(input),
      metrics:
        input.WORKER_METRICS_PORT === undefined
          ? undefined
          : { port: input.WORKER_METRICS_PORT, ...toHttpSurfaceConfig(input) },
    }),
  ),
);

/** Reads `--queues a,b` (or `--queues=a,b`) from the arguments after the script name. */
export function parseQueueSelection(
  args: readonly string[],
): { ok: true; queues: QueueName[] } | { ok: false; problem: ConfigProblem } {
  let value: string | undefined;
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { queues: { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
    value = parsed.values.queues;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problem: {
        variable: "arguments",
        message: `${message} (usage: --queues ${QUEUE_NAMES.join(",")})`,
      },
    };
  }
  if (value === undefined) return { ok: true, queues: [...QUEUE_NAMES] };
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const known = `known queues: ${QUEUE_NAMES.join(", ")}`;
  if (names.length === 0) {
    return {
      ok: false,
      problem: { variable: "--queues", message: `must name at least one queue (${known})` },
    };
  }
  const unknown = names.filter((name) => !isQueueName(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => JSON.stringify(name)).join(", ");
    return {
      ok: false,
      problem: { variable: "--queues", message: `unknown queue ${list} (${known})` },
    };
  }
  return { ok: true, queues: [...new Set(names.filter(isQueueName))] };
}

/**
 * Reads the worker configuration from the environment and command-line arguments.
 * @param args the arguments after the script name (`process.argv.slice(2)`).
 * @throws {ConfigError} listing every problem in both.
 */
export function loadWorkerConfig(env: Environment, args: readonly string[]): WorkerConfig {
  const problems: ConfigProblem[] = [];
  let fromEnv: WorkerEnvConfig | undefined;
  try {
    fromEnv = loadConfig(workerConfigSchema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const selection = parseQueueSelection(args);
  if (!selection.ok) problems.push(selection.problem);
  if (fromEnv && selection.ok && selection.queues.includes("message") && !fromEnv.slack.botToken) {
    problems.push({
      variable: "SLACK_BOT_TOKEN",
      message: 'is required to serve the "message" queue (it posts replies to Slack)',
    });
  }
  if (fromEnv === undefined || !selection.ok || problems.length > 0) {
    throw new ConfigError(problems);
  }
  return { ...fromEnv, queues: selection.queues };
}
