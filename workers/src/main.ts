/**
 * Worker process entry (`bun run worker -- --queues embedding,summary`): parses the
 * environment and the queue selection once, checks that Redis answers, builds pup's services
 * and runs the job handlers of the selected queues until SIGINT/SIGTERM, when it stops taking
 * jobs, lets running ones finish (up to 20 s) and exits.
 */
import { Redis } from "ioredis";
import { createCoreServices, jobConcurrency, jobHandlers } from "../../core/src/composition";
import { maskUrl } from "../../core/src/config/fields";
import { PersonaError } from "../../core/src/domain/personality/persona";
import { ConfigError } from "../../core/src/errors";
import { createLogger } from "../../core/src/logging/logger";
import { loadWorkerConfig } from "./config";

/** A worker that cannot reach Redis is useless; fail fast instead of retrying silently. */
const REDIS_CONNECT_TIMEOUT_MS = 5_000;
/** Running jobs get this long to finish after a stop signal; the process ends within 25 s. */
const DRAIN_GRACE_MS = 20_000;
function fail(message: string): never {
  process.stderr.write(`worker: ${message}\n`);
  process.exit(1);
}

function readConfigOrExit() {
  try {
    return loadWorkerConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(error.message);
  }
}

const config = readConfigOrExit();
const logger = createLogger({
  level: config.runtime.logLevel,
  env: config.runtime.env,
  name: "worker",
});

// BullMQ's blocking commands must wait for a reconnect instead of failing after N retries.
const redis = new Redis(config.redis.url, {
  maxRetriesPerRequest: null,
  lazyConnect: true,
  connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
});
// Until the first connection succeeds, errors are kept for the exit message instead of logged.
let connected = false;
let lastConnectionError: Error | undefined;
redis.on("error", (error: Error) => {
  if (connected) logger.warn({ err: error }, "redis connection error");
  else lastConnectionError = error;
});

async function connectOrExit(): Promise<void> {
  const where = `${maskUrl(config.redis.url)} (REDIS_URL)`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${REDIS_CONNECT_TIMEOUT_MS / 1000} s`)),
      REDIS_CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
  } catch (error) {
    if (stopping) return;
    redis.disconnect();
    const reason = lastConnectionError ?? error;
    fail(`cannot reach Redis at ${where}: ${reason instanceof Error ? reason.message : reason}`);
  } finally {
    clearTimeout(timer);
  }
  connected = true;
}

let stopping = false;
let services: Awaited<ReturnType<typeof createCoreServices>> | undefined;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: no new jobs, draining");
  const forced = setTimeout(() => {
    logger.error("worker did not stop in time; exiting");
    process.exit(1);
  }, DRAIN_GRACE_MS + 4_000);
  forced.unref();
  await services?.close(DRAIN_GRACE_MS);
  if (redis.status === "ready") await redis.quit();
  else redis.disconnect();
  logger.info("worker stopped");
  process.exit(0);
}

// Registered before connecting, so a stop signal during start-up still ends in a clean exit.
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

await connectOrExit();
try {
  services = await createCoreServices(
    {
      llm: config.llm,
      embedding: config.embedding,
      database: config.database,
      redis: config.redis,
      // Only the "message" queue talks to Slack; config checked the token is there for it.
      slack: { botToken: config.slack.botToken ?? "xoxb-unused", apiUrl: config.slack.apiUrl },
      personality: config.personality,
    },
    { logger, reply: { memoryTokens: config.jobs.memoryTokens } },
  );
} catch (error) {
  // A bad persona file is the operator's to fix, like a bad variable: one line per problem.
  if (error instanceof PersonaError) {
    process.stderr.write(`worker: ${error.message.replaceAll("\n", `\nworker: `)}\n`);
    process.exit(1);
  }
  logger.fatal({ err: error }, "worker could not start");
  process.exit(1);
}
const handlers = jobHandlers(services.deps);
const served = Object.fromEntries(
  config.queues.flatMap((queue) => (handlers[queue] ? [[queue, handlers[queue]]] : [])),
);
await services.runner.start(served, jobConcurrency(config.jobs));
logger.info(
  {
    queues: config.queues,
    processing: Object.keys(served),
    idle: config.queues.filter((queue) => !handlers[queue]),
    llm: config.llm.mode,
  },
  "worker ready",
);
