/**
 * Core server entry (`bun run core`): parses the environment once, then serves the HTTP app on
 * PORT until SIGINT/SIGTERM. Only wiring lives here; behaviour lives in http/ and below.
 */
import { loadCoreConfig } from "./config/core";
import { ConfigError } from "./errors";
import { createCoreApp } from "./http/app";
import { createLogger } from "./logging/logger";

/** How long in-flight requests may take to finish after a stop signal. */
const SHUTDOWN_GRACE_MS = 10_000;

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
const app = createCoreApp({ logger });

// A server binds every interface; the edge reaches core over the network.
const server = Bun.serve({ port: config.http.port, hostname: "0.0.0.0", fetch: app.fetch });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "core stopping");
  const forced = setTimeout(() => {
    logger.error({ graceMs: SHUTDOWN_GRACE_MS }, "core did not stop in time; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  forced.unref();
  await server.stop();
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
  },
  "core listening",
);
