/**
 * The shared harness for end-to-end tests of the edge in real workerd (miniflare 4): bundles
 * edge/src/index.ts once per test process, then starts a Worker with the bindings production
 * has (vars and secrets, both rate limiters, the fallback queue with its consumer and
 * dead-letter queue) on a loopback port. A second, test-only Worker consumes the dead-letter
 * queue so tests can see what was given up on.
 */
import { join } from "node:path";
import { Miniflare } from "miniflare";
import {
  type SlackSignOptions,
  slackSignatureHeaders,
  TEST_SLACK_SIGNING_SECRET,
} from "./slack-requests";

const ROOT = join(import.meta.dir, "..", "..", "..");

/** A CORE_SHARED_SECRET that satisfies the edge's rules; fake cores use it too. */
export const TEST_CORE_SHARED_SECRET = "edge-e2e-core-shared-secret-0123456789abcdef";
export const FALLBACK_QUEUE = "pup-core-fallback";
export const DEAD_LETTER_QUEUE = "pup-core-fallback-dlq";

let bundled: Promise<string> | undefined;

/** The edge Worker as one ES module, built once per test process. */
export function edgeBundle(): Promise<string> {
  bundled ??= (async () => {
    const build = await Bun.build({
      entrypoints: [join(ROOT, "edge/src/index.ts")],
      target: "browser",
      format: "esm",
    });
    const output = build.outputs[0];
    if (!build.success || !output) {
      throw new Error(`bundling the edge failed:\n${build.logs.map(String).join("\n")}`);
    }
    return output.text();
  })();
  return bundled;
}

let compatibilityDate: Promise<string> | undefined;

/** wrangler.toml's compatibility_date, so tests run the runtime production runs. */
export function wranglerCompatibilityDate(): Promise<string> {
  compatibilityDate ??= Bun.file(join(ROOT, "wrangler.toml"))
    .text()
    .then((text) => {
      const date = (Bun.TOML.parse(text) as { compatibility_date?: unknown }).compatibility_date;
      if (typeof date !== "string") throw new Error("wrangler.toml has no compatibility_date");
      return date;
    });
  return compatibilityDate;
}

/**
 * Cloudflare's simple rate limit: `limit` calls per `period` seconds (10 or 60). Each allowed
 * call is a lease of `leaseSize` requests (the USER_/TEAM_RATE_LEASE_SIZE var; default the
 * edge's own), so `limit x leaseSize` requests pass per period. Both limiters share one period
 * (RATE_LIMIT_PERIOD_SECONDS).
 */
export interface SimpleRateLimit {
  limit: number;
  period?: 10 | 60;
  leaseSize?: number;
}

export interface StartEdgeOptions {
  /** Extra or overriding bindings (vars/secrets); `undefined` values remove a default. */
  bindings?: Record<string, string | undefined>;
  /** CORE_URL; default a closed loopback port (core unreachable). */
  coreUrl?: string;
  /** Rate-limit bindings; `false` leaves both out. Default: generous limits for both. */
  rateLimits?: false | { user?: SimpleRateLimit; team?: SimpleRateLimit };
  /** Fallback queue settings; `false` leaves the producer and consumer out. */
  queues?: false | { maxRetries?: number; retryDelaySeconds?: number; maxBatchSize?: number };
  /** FORWARD_DEADLINE_MS; default the edge's own default. */
  deadlineMs?: number;
}

export interface EdgeUnderTest {
  /** The Worker's loopback origin, e.g. `http://127.0.0.1:40321`. */
  url: string;
  mf: Miniflare;
  /** Sends a request to the edge over real HTTP; `path` starts with `/`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Slack's signature headers for `body` (default: the test signing secret, now). */
  signSlack(body: string, options?: SlackSignOptions): Promise<Record<string, string>>;
  /** Message bodies that reached the dead-letter queue so far. */
  deadLetters(): Promise<unknown[]>;
  /** Every console line the Worker wrote, parsed as JSON where possible. */
  logs: unknown[];
  dispose(): Promise<void>;
}

/** A test-only consumer of the dead-letter queue that remembers every message it was given. */
const DEAD_LETTER_OBSERVER = `
const received = [];
export default {
  async queue(batch) { for (const message of batch.messages) { received.push(message.body); message.ack(); } },
  async fetch() { return Response.json(received); },
};
`;

/** The lease and period vars for the given limits (explicit `bindings` still override them). */
function rateLimitVars(limits: { user?: SimpleRateLimit; team?: SimpleRateLimit }) {
  const vars: Record<string, string> = {};
  const periods = new Set([limits.user?.period ?? 60, limits.team?.period ?? 60]);
  if (periods.size > 1) throw new Error("both rate limiters must have the same period");
  const [period] = periods;
  if (period !== 60) vars.RATE_LIMIT_PERIOD_SECONDS = String(period);
  if (limits.user?.leaseSize) vars.USER_RATE_LEASE_SIZE = String(limits.user.leaseSize);
  if (limits.team?.leaseSize) vars.TEAM_RATE_LEASE_SIZE = String(limits.team.leaseSize);
  return vars;
}

/** The binding's own settings (miniflare knows nothing of leases). */
function simpleLimit(limit: SimpleRateLimit | undefined, generous: number) {
  return { limit: limit?.limit ?? generous, period: limit?.period ?? 60 };
}

/** Starts the edge in workerd. Always `dispose()` it (e.g. in `afterEach`/`afterAll`). */
export async function startEdge(options: StartEdgeOptions = {}): Promise<EdgeUnderTest> {
  const [script, date] = await Promise.all([edgeBundle(), wranglerCompatibilityDate()]);
  const bindings: Record<string, string> = {
    SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
    CORE_URL: options.coreUrl ?? "http://127.0.0.1:9",
    CORE_SHARED_SECRET: TEST_CORE_SHARED_SECRET,
  };
  if (options.deadlineMs !== undefined) bindings.FORWARD_DEADLINE_MS = String(options.deadlineMs);
  const rateLimits = options.rateLimits ?? {};
  if (rateLimits !== false) Object.assign(bindings, rateLimitVars(rateLimits));
  for (const [name, value] of Object.entries(options.bindings ?? {})) {
    if (value === undefined) delete bindings[name];
    else bindings[name] = value;
  }

  const ratelimits =
    rateLimits === false
      ? undefined
      : {
          USER_RATE_LIMITER: {
            namespace_id: "1001",
            simple: simpleLimit(rateLimits.user, 10_000),
          },
          TEAM_RATE_LIMITER: {
            namespace_id: "1002",
            simple: simpleLimit(rateLimits.team, 100_000),
          },
        };

  const queues = options.queues ?? {};
  const queueOptions =
    queues === false
      ? {}
      : {
          queueProducers: { CORE_FALLBACK_QUEUE: FALLBACK_QUEUE },
          queueConsumers: {
            [FALLBACK_QUEUE]: {
              maxBatchTimeout: 1,
              maxBatchSize: queues.maxBatchSize ?? 10,
              maxRetries: queues.maxRetries ?? 10,
              retryDelay: queues.retryDelaySeconds ?? 1,
              deadLetterQueue: DEAD_LETTER_QUEUE,
            },
          },
        };

  const logs: unknown[] = [];
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    handleStructuredLogs: ({ message }: { message: string }) => {
      for (const line of message.split("\n")) {
        if (line.trim() === "") continue;
        try {
          logs.push(JSON.parse(line));
        } catch {
          logs.push(line);
        }
      }
    },
    workers: [
      {
        name: "edge",
        // Passed as text: workerd refuses module paths outside miniflare's working directory.
        script,
        modules: true,
        compatibilityDate: date,
        bindings,
        ...(ratelimits ? { ratelimits } : {}),
        ...queueOptions,
      },
      {
        name: "dead-letter-observer",
        script: DEAD_LETTER_OBSERVER,
        modules: true,
        compatibilityDate: date,
        ...(queues === false
          ? {}
          : { queueConsumers: { [DEAD_LETTER_QUEUE]: { maxBatchTimeout: 1 } } }),
      },
    ],
  });
  const origin = (await mf.ready).origin;

  return {
    url: origin,
    mf,
    logs,
    fetch: (path, init) => fetch(`${origin}${path}`, init),
    signSlack: (body, signOptions) => slackSignatureHeaders(body, signOptions),
    async deadLetters() {
      const observer = await mf.getWorker("dead-letter-observer");
      const response = await observer.fetch("http://observer.test/");
      return (await response.json()) as unknown[];
    },
    dispose: () => mf.dispose(),
  };
}
