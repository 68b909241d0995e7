/**
 * Core server entry (`bun run core`): parses the environment once, builds pup's services,
 * serves /internal/slack, /healthz, /health and /metrics on PORT until SIGINT/SIGTERM. With
 * REDIS_URL unset (development) the queues are in-process, so core also runs the job handlers
 * itself; with Redis, `bun run worker` processes run them.
 */
import packageJson from "../../package.json" with { type: "json" };
import { createCoreHttpApp, createCoreServices, jobConcurrency, jobHandlers } from "./composition";
import { loadCoreConfig } from "./config/core";
import { PersonaError } from "./domain/personality/persona";
import { ConfigError } from "./errors";
import { createLogger } from "./logging/logger";

/** A stop signal must end the process within 25 s: stop accepting, drain, close. */
const SHUTDOWN_BUDGET_MS = 25_000;
const DRAIN_GRACE_MS = 20_000;

function readConfigOrExit() {
  try {
    return loadCoreConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`core: ${error.message}\n`);
    process.exit(1);
  }
}

const config = readConfigOrExit();
const logger = createLogger({
  level: config.runtime.logLevel,
  env: config.runtime.env,
  name: "core",
});

let services: Awaited<ReturnType<typeof createCoreServices>>;
try {
  services = await createCoreServices(
    {
      llm: config.llm,
      embedding: config.embedding,
      database: config.database,
      redis: config.redis,
      slack: config.slack,
      tokenEncryptionKey: config.security.tokenEncryptionKey,
      personality: config.personality,
    },
    { logger, reply: { memoryTokens: config.jobs.memoryTokens } },
  );
} catch (error) {
  // A bad persona file is the operator's to fix, like a bad variable: one line per problem.
  if (error instanceof PersonaError) {
    process.stderr.write(`core: ${error.message.replaceAll("\n", `\ncore: `)}\n`);
    process.exit(1);
  }
  logger.fatal({ err: error }, "core could not start");
  process.exit(1);
}

const inProcessQueues = config.redis.url === undefined;
if (inProcessQueues) {
  await services.runner.start(jobHandlers(services.deps), jobConcurrency(config.jobs));
}

const app = createCoreHttpApp(services, {
  coreSharedSecret: config.security.coreSharedSecret,
  version: packageJson.version,
  startedAt: Date.now(),
});
// A server binds every interface; the edge reaches core over the network.
const server = Bun.serve({ port: config.http.port, hostname: "0.0.0.0", fetch: app.fetch });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "core stopping: no new requests, draining");
  const forced = setTimeout(() => {
    logger.error({ budgetMs: SHUTDOWN_BUDGET_MS }, "core did not stop in time; exiting");
    process.exit(1);
  }, SHUTDOWN_BUDGET_MS);
  forced.unref();
  await server.stop();
  await services.close(DRAIN_GRACE_MS);
  logger.info("core stopped");
  process.exit(0);
}

process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

logger.info(
  {
    port: server.port,
    llm: config.llm.mode,
    database: config.database.url ? "postgres" : "pglite",
    queues: inProcessQueues ? "in-process" : "redis",
  },
  "core listening",
);
