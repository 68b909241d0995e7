/**
 * Core server entry (`bun run core`): serves POST /internal/slack, /healthz, /health and
 * /metrics on HOST:PORT until SIGINT/SIGTERM. With REDIS_URL unset (development) the queues are
 * in-process, so core also runs the jobs itself; with Redis, `bun run worker` processes do.
 */
import packageJson from "../../package.json" with { type: "json" };
import { createLogger } from "./adapters/pino/logger";
import { loadCoreConfig } from "./config/core";
import { configOrExit, runAsProcess } from "./start/run-process";
import { startPup } from "./start/start-pup";

const config = configOrExit("core", () => loadCoreConfig(process.env));
const { logLevel: level, env } = config.runtime;
const logger = createLogger({ level, env, name: "core" });

await runAsProcess(
  "core",
  logger,
  () =>
    startPup({
      role: "core",
      config: { ...config, tokenEncryptionKey: config.security.tokenEncryptionKey },
      logger,
      // HOST: loopback in development; a deployment names its own (0.0.0.0 in a container).
      http: {
        hostname: config.http.host,
        port: config.http.port,
        coreSharedSecret: config.security.coreSharedSecret,
        metricsToken: config.http.metricsToken,
        version: packageJson.version,
      },
    }),
  "requests",
);
