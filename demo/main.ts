/**
 * `bun run demo`: pup's edge, core and workers in one process, with a local Slack page to talk
 * to it (start.ts), run as a terminal program (lifecycle.ts).
 */
import pino from "pino";
import { createLogger } from "../core/src/adapters/pino/logger";
import { ConfigError } from "../core/src/shared/errors";
import { type DemoConfig, loadDemoConfig } from "./config";
import { fail, progress, runDemo } from "./lifecycle";
import { startDemo } from "./start";

function readConfig(): DemoConfig {
  try {
    return loadDemoConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.map((p) => `${p.variable} ${p.message}`).join("; ");
    return fail(`invalid configuration: ${problems}`);
  }
}

const config = readConfig();
const logger = createLogger({
  level: config.runtime.logLevel,
  env: config.runtime.env,
  name: "demo",
  // stdout belongs to the ready line; logs share stderr with the progress lines.
  destination: pino.destination({ dest: 2, sync: true }),
});

await runDemo(() => startDemo(config, { logger, progress }), logger);
