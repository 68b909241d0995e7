/**
 * `bun run demo`: pup's edge, core and workers in one process, with a local Slack page to talk
 * to it. Progress goes to stderr; stdout carries exactly one line, `pup demo ready: <url>`, once
 * the page answers and pup can reply (scripts and the browser test wait for it). Ctrl-C or
 * SIGTERM stops it cleanly within STOP_BUDGET_MS; a second Ctrl-C stops it at once.
 */
import pino from "pino";
import { createLogger } from "../core/src/adapters/pino/logger";
import { ConfigError } from "../core/src/shared/errors";
import { type DemoConfig, loadDemoConfig } from "./config";
import { DemoStartError, type RunningDemo, startDemo } from "./start";

/** From the first stop signal to the exit, whatever is still running. */
const STOP_BUDGET_MS = 10_000;
/** Jobs in flight get this long to finish; the rest of the budget is for closing. */
const DRAIN_GRACE_MS = 7_000;

const startedAt = performance.now();
const progress = (line: string) => process.stderr.write(`pup demo: ${line}\n`);
function fail(message: string): never {
  process.stderr.write(`pup demo: ${message}\n`);
  process.exit(1);
}

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

let demo: RunningDemo | undefined;
let stopSignal: string | undefined;

async function stop(): Promise<void> {
  const forced = setTimeout(() => {
    process.stderr.write(`pup demo: did not stop within ${STOP_BUDGET_MS / 1000} s; exiting\n`);
    process.exit(1);
  }, STOP_BUDGET_MS);
  forced.unref();
  await demo?.stop(DRAIN_GRACE_MS);
  progress("stopped");
  process.exit(0);
}

function onSignal(signal: string): void {
  if (stopSignal !== undefined) {
    process.stderr.write(`pup demo: ${signal} again: exiting now\n`);
    process.exit(130);
  }
  stopSignal = signal;
  progress(`${signal}: stopping (press Ctrl-C again to exit at once)`);
  // While starting, the stop waits for the start to finish, so nothing is left half-open.
  if (demo) void stop();
}
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));

try {
  demo = await startDemo(config, { logger, progress });
} catch (error) {
  if (error instanceof DemoStartError) fail(error.message);
  logger.fatal({ err: error }, "the demo could not start");
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`);
}

if (stopSignal !== undefined) {
  await stop();
} else {
  progress(`started in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  process.stdout.write(`pup demo ready: ${demo.url}\n`);
}
