/**
 * Worker process entry (`bun run worker -- --queues embedding,summary`): checks that Redis
 * answers, then runs the jobs of the selected queues (default: all) until SIGINT/SIGTERM, when
 * it stops taking jobs, lets running ones finish (up to 20 s) and exits. With
 * WORKER_METRICS_PORT set it serves /healthz, /health and /metrics there (on HOST).
 */

import { createLogger } from "../../core/src/adapters/pino/logger";
import { configOrExit, runAsProcess } from "../../core/src/start/run-process";
import { startPup } from "../../core/src/start/start-pup";
import packageJson from "../../package.json" with { type: "json" };
import { loadWorkerConfig } from "./config";

const config = configOrExit("worker", () => loadWorkerConfig(process.env, process.argv.slice(2)));
const { logLevel: level, env } = config.runtime;
const logger = createLogger({ level, env, name: "worker" });

await runAsProcess(
  "worker",
  logger,
  () =>
    startPup({
      role: "worker",
      // Only the "message" queue talks to Slack; the config checked the token is there for it.
      config: {
        ...config,
        slack: { ...config.slack, botToken: config.slack.botToken ?? "xoxb-unused" },
      },
      logger,
      queues: config.queues,
      ...(config.metrics && {
        workerHttp: {
          hostname: config.metrics.host,
          port: config.metrics.port,
          version: packageJson.version,
          ...(config.metrics.metricsToken ? { metricsToken: config.metrics.metricsToken } : {}),
        },
      }),
    }),
  "jobs",
);
