/**
 * The edge Worker's configuration, read from its bindings (wrangler `[vars]` and secrets).
 *
 * This bundle runs in workerd, so it cannot import core's config (Node/Bun code, another
 * bundle); the few field rules it needs are restated here and must agree with core's
 * (notably the CORE_SHARED_SECRET minimum length). Problems never include a value.
 */
import * as v from "valibot";

export const PUP_ENVS = ["development", "staging", "production"] as const;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** Same minimum as core's; edge and core must accept the same secrets. */
export const CORE_SHARED_SECRET_MIN_LENGTH = 32;

/** Default for FORWARD_DEADLINE_MS: core's acceptance must come well inside Slack's 3 s. */
export const DEFAULT_FORWARD_DEADLINE_MS = 700;
/** Bounds for FORWARD_DEADLINE_MS: below this core cannot answer; above it Slack gives up. */
export const FORWARD_DEADLINE_BOUNDS_MS = { min: 50, max: 2500 } as const;
/**
 * Defaults for the fallback queue's redeliveries (FORWARD_RETRY_BASE_SECONDS,
 * FORWARD_RETRY_MAX_SECONDS, FORWARD_MAX_RETRIES): 5 s doubling to at most 10 min, and 10
 * retries (about 40 minutes in all) before the dead-letter queue. `maxRetries` must equal the
 * queue consumer's `max_retries` in wrangler.toml (edge/src/forward/consumer.test.ts checks it).
 */
/**
 * Defaults for group commit (FORWARD_CONCURRENCY, FORWARD_BATCH_MAX_ITEMS): at most 4 requests
 * to core in flight per isolate, each carrying up to 50 payloads (ADR-010).
 */
export const DEFAULT_FORWARD_BATCHING = { concurrency: 4, maxItems: 50 };
export const DEFAULT_FORWARD_REDELIVERY = { baseSeconds: 5, maxSeconds: 600, maxRetries: 10 };

/**
 * Defaults for USER_RATE_LEASE_SIZE, TEAM_RATE_LEASE_SIZE and RATE_LIMIT_PERIOD_SECONDS: how many
 * requests one allowed rate-limit call admits in an isolate (ADR-009), and the bindings' period,
 * which the period must equal. wrangler.toml's limits count leases: 4 x 5 = 20 per user, 12 x 25
 * = 300 per workspace, per minute.
 */
export const DEFAULT_RATE_LIMIT_LEASES = { userLeaseSize: 5, teamLeaseSize: 25, periodSeconds: 60 };
/** The periods Cloudflare's rate-limit bindings accept. */
export const RATE_LIMIT_PERIODS = [10, 60] as const;

/**
 * A Cloudflare rate-limit binding (`[[ratelimits]]`). Counts are per location and approximate:
 * a brake, not exact accounting.
 */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** A Cloudflare Queue producer binding (`[[queues.producers]]`), the part the edge uses. */
export interface QueueProducerBinding<Body = unknown> {
  send(body: Body, options?: { contentType?: string; delaySeconds?: number }): Promise<void>;
  sendBatch(
    messages: Iterable<{ body: Body; contentType?: string; delaySeconds?: number }>,
  ): Promise<void>;
}

/** The Worker's bindings as wrangler passes them (vars, secrets, rate limiters, queues). */
export interface EdgeBindings {
  SLACK_SIGNING_SECRET?: string;
  CORE_URL?: string;
  CORE_SHARED_SECRET?: string;
  PUP_ENV?: string;
  LOG_LEVEL?: string;
  /** Milliseconds the edge waits for core's acceptance before queueing instead. */
  FORWARD_DEADLINE_MS?: string;
  /** Requests to core in flight at once per isolate; later deliveries join the next batch. */
  FORWARD_CONCURRENCY?: string;
  /** Most payloads in one request to core (1: one request per delivery, no batching). */
  FORWARD_BATCH_MAX_ITEMS?: string;
  /** Seconds before the first redelivery from the fallback queue; doubled each time. */
  FORWARD_RETRY_BASE_SECONDS?: string;
  /** Longest wait between redeliveries, in seconds. */
  FORWARD_RETRY_MAX_SECONDS?: string;
  /** The fallback queue consumer's `max_retries` (for logging the move to the dead-letter queue). */
  FORWARD_MAX_RETRIES?: string;
  /** Requests one allowed per-user rate-limit call admits in an isolate (1: ask every time). */
  USER_RATE_LEASE_SIZE?: string;
  /** Requests one allowed per-workspace rate-limit call admits in an isolate. */
  TEAM_RATE_LEASE_SIZE?: string;
  /** Both rate-limit bindings' `period` (10 or 60); leases end with it. */
  RATE_LIMIT_PERIOD_SECONDS?: string;
  /** Per-user limiter (key `team:user`); absent: no per-user limiting (warned once). */
  USER_RATE_LIMITER?: RateLimitBinding;
  /** Per-workspace limiter (key `team`); absent: no per-workspace limiting (warned once). */
  TEAM_RATE_LIMITER?: RateLimitBinding;
  /** Where payloads go when core does not accept them in time (queue `pup-core-fallback`). */
  CORE_FALLBACK_QUEUE?: QueueProducerBinding;
}

/** The edge's parsed configuration. */
export interface EdgeConfig {
  env: (typeof PUP_ENVS)[number];
  logLevel: (typeof LOG_LEVELS)[number];
  slackSigningSecret: string;
  /** Core's origin without a trailing slash; the edge appends `/internal/slack`. */
  coreUrl: string;
  coreSharedSecret: string;
  /** How long the forwarder waits for core's 202/200 before falling back to the queue. */
  forwardDeadlineMs: number;
  /** Group commit of forwards: requests in flight and payloads per request. */
  forwardBatching: { concurrency: number; maxItems: number };
  /** Spacing of the fallback queue's redeliveries and when they end in the dead-letter queue. */
  forwardRedelivery: { baseSeconds: number; maxSeconds: number; maxRetries: number };
  /** Rate-limit leases: requests per allowed call, and the bindings' period. */
  rateLimitLeases: { userLeaseSize: number; teamLeaseSize: number; periodSeconds: number };
}

/** One misconfigured variable and what is wrong with it (without its value). */
export interface EdgeConfigProblem {
  variable: string;
  message: string;
}

export type EdgeConfigResult =
  | { ok: true; config: EdgeConfig }
  | { ok: false; problems: EdgeConfigProblem[] };

interface FieldSpec<T> {
  /** Description used in messages, e.g. "an http(s) URL". */
  expects: string;
  /** Used when the binding is unset or blank; without it the binding is required. */
  fallback?: T;
  /** Returns undefined when the value is malformed. */
  parse(raw: string): T | undefined;
}

function field<T>(spec: FieldSpec<T>) {
  return v.pipe(
    v.unknown(),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const raw = typeof dataset.value === "string" ? dataset.value.trim() : "";
      if (raw === "") {
        if (spec.fallback !== undefined) return spec.fallback;
        addIssue({ message: `required (${spec.expects})` });
        return NEVER;
      }
      const value = spec.parse(raw);
      if (value === undefined) {
        addIssue({ message: `must be ${spec.expects}` });
        return NEVER;
      }
      return value;
    }),
  );
}

function oneOf<const T extends string>(values: readonly T[], fallback: T) {
  return field<T>({
    expects: `one of ${values.join(", ")}`,
    fallback,
    parse: (raw) => values.find((value) => value === raw),
  });
}

function secret(minLength: number, expects = `at least ${minLength} characters`) {
  return field<string>({
    expects,
    parse: (raw) => (raw.length >= minLength ? raw : undefined),
  });
}

function integerBetween(min: number, max: number, fallback: number) {
  return field<number>({
    expects: `an integer between ${min} and ${max}`,
    fallback,
    parse(raw) {
      if (!/^\d+$/.test(raw)) return undefined;
      const value = Number(raw);
      return value >= min && value <= max ? value : undefined;
    },
  });
}

function rateLimitPeriod() {
  return field<number>({
    expects: `${RATE_LIMIT_PERIODS.join(" or ")} (the rate-limit bindings' period)`,
    fallback: DEFAULT_RATE_LIMIT_LEASES.periodSeconds,
    parse: (raw) => RATE_LIMIT_PERIODS.find((period) => String(period) === raw),
  });
}

function httpOrigin() {
  return field<string>({
    expects: "an http(s) URL",
    parse(raw) {
      if (!URL.canParse(raw)) return undefined;
      const { protocol } = new URL(raw);
      return protocol === "http:" || protocol === "https:" ? raw.replace(/\/+$/, "") : undefined;
    },
  });
}

export const edgeConfigSchema = v.pipe(
  v.object({
    SLACK_SIGNING_SECRET: secret(1, "the signing secret from the Slack app's settings"),
    CORE_URL: httpOrigin(),
    CORE_SHARED_SECRET: secret(CORE_SHARED_SECRET_MIN_LENGTH),
    PUP_ENV: oneOf(PUP_ENVS, "development"),
    LOG_LEVEL: oneOf(LOG_LEVELS, "info"),
    FORWARD_DEADLINE_MS: integerBetween(
      FORWARD_DEADLINE_BOUNDS_MS.min,
      FORWARD_DEADLINE_BOUNDS_MS.max,
      DEFAULT_FORWARD_DEADLINE_MS,
    ),
    FORWARD_CONCURRENCY: integerBetween(1, 64, DEFAULT_FORWARD_BATCHING.concurrency),
    FORWARD_BATCH_MAX_ITEMS: integerBetween(1, 256, DEFAULT_FORWARD_BATCHING.maxItems),
    // Cloudflare Queues accept retry delays up to 12 hours and at most 100 retries.
    FORWARD_RETRY_BASE_SECONDS: integerBetween(0, 43_200, DEFAULT_FORWARD_REDELIVERY.baseSeconds),
    FORWARD_RETRY_MAX_SECONDS: integerBetween(0, 43_200, DEFAULT_FORWARD_REDELIVERY.maxSeconds),
    FORWARD_MAX_RETRIES: integerBetween(0, 100, DEFAULT_FORWARD_REDELIVERY.maxRetries),
    USER_RATE_LEASE_SIZE: integerBetween(1, 1000, DEFAULT_RATE_LIMIT_LEASES.userLeaseSize),
    TEAM_RATE_LEASE_SIZE: integerBetween(1, 1000, DEFAULT_RATE_LIMIT_LEASES.teamLeaseSize),
    RATE_LIMIT_PERIOD_SECONDS: rateLimitPeriod(),
  }),
  // Outside development the edge reaches core over networks it does not own: the signature
  // stops forgery but not reading Slack's payloads on the way, so only TLS will do.
  v.forward(
    v.partialCheck(
      [["PUP_ENV"], ["CORE_URL"]],
      (input) => input.PUP_ENV === "development" || input.CORE_URL.startsWith("https:"),
      "must be an https:// URL when PUP_ENV is staging or production",
    ),
    ["CORE_URL"],
  ),
  v.transform(
    (input): EdgeConfig => ({
      env: input.PUP_ENV,
      logLevel: input.LOG_LEVEL,
      slackSigningSecret: input.SLACK_SIGNING_SECRET,
      coreUrl: input.CORE_URL,
      coreSharedSecret: input.CORE_SHARED_SECRET,
      forwardDeadlineMs: input.FORWARD_DEADLINE_MS,
      forwardBatching: {
        concurrency: input.FORWARD_CONCURRENCY,
        maxItems: input.FORWARD_BATCH_MAX_ITEMS,
      },
      forwardRedelivery: {
        baseSeconds: input.FORWARD_RETRY_BASE_SECONDS,
        maxSeconds: input.FORWARD_RETRY_MAX_SECONDS,
        maxRetries: input.FORWARD_MAX_RETRIES,
      },
      rateLimitLeases: {
        userLeaseSize: input.USER_RATE_LEASE_SIZE,
        teamLeaseSize: input.TEAM_RATE_LEASE_SIZE,
        periodSeconds: input.RATE_LIMIT_PERIOD_SECONDS,
      },
    }),
  ),
);

/** Parses the bindings once; no caching (see {@link createEdgeConfigReader}). */
export function parseEdgeConfig(bindings: EdgeBindings): EdgeConfigResult {
  const input = {
    SLACK_SIGNING_SECRET: bindings.SLACK_SIGNING_SECRET,
    CORE_URL: bindings.CORE_URL,
    CORE_SHARED_SECRET: bindings.CORE_SHARED_SECRET,
    PUP_ENV: bindings.PUP_ENV,
    LOG_LEVEL: bindings.LOG_LEVEL,
    FORWARD_DEADLINE_MS: bindings.FORWARD_DEADLINE_MS,
    FORWARD_CONCURRENCY: bindings.FORWARD_CONCURRENCY,
    FORWARD_BATCH_MAX_ITEMS: bindings.FORWARD_BATCH_MAX_ITEMS,
    FORWARD_RETRY_BASE_SECONDS: bindings.FORWARD_RETRY_BASE_SECONDS,
    FORWARD_RETRY_MAX_SECONDS: bindings.FORWARD_RETRY_MAX_SECONDS,
    FORWARD_MAX_RETRIES: bindings.FORWARD_MAX_RETRIES,
    USER_RATE_LEASE_SIZE: bindings.USER_RATE_LEASE_SIZE,
    TEAM_RATE_LEASE_SIZE: bindings.TEAM_RATE_LEASE_SIZE,
    RATE_LIMIT_PERIOD_SECONDS: bindings.RATE_LIMIT_PERIOD_SECONDS,
  };
  const result = v.safeParse(edgeConfigSchema, input);
  if (result.success) return { ok: true, config: result.output };
  return {
    ok: false,
    problems: result.issues.map((issue) => ({
      variable: v.getDotPath(issue) ?? "(bindings)",
      message: issue.message,
    })),
  };
}

/**
 * Returns a reader that parses each bindings object once. workerd hands every request of an
 * isolate the same `env` object, so this parses once per isolate; a WeakMap lets a replaced
 * `env` (new deployment, tests) be parsed afresh and the old one be collected.
 *
 * @param onInvalid called once per bindings object that fails to parse (for logging).
 */
export function createEdgeConfigReader(
  onInvalid: (problems: EdgeConfigProblem[]) => void,
): (bindings: EdgeBindings) => EdgeConfigResult {
  const cache = new WeakMap<object, EdgeConfigResult>();
  return (bindings) => {
    const cached = cache.get(bindings);
    if (cached) return cached;
    const result = parseEdgeConfig(bindings);
    cache.set(bindings, result);
    if (!result.ok) onInvalid(result.problems);
    return result;
  };
}
