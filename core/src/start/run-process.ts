/**
 * Runs pup as a long-lived process (`bun run core`, `bun run worker`): a start that fails for
 * the operator to fix (configuration, persona file, Redis) ends in one clear stderr line per
 * problem and exit 1; SIGINT or SIGTERM stops taking work, lets running jobs finish and closes
 * everything within a budget, then exits 0. A signal during start is honoured once it is done.
 */

import type { Logger } from "../adapters/pino/logger";
import { PersonaError } from "../features/personality";
import { isDependencyOutage } from "../shared/dependency-outage";
import { ConfigError } from "../shared/errors";
import { StartError } from "./start-error";
import type { RunningPup } from "./start-pup";

/** Running jobs get this long to finish after a stop signal. */
export const DRAIN_GRACE_MS = 20_000;
/** From the stop signal to the exit, whatever is still running. */
export const SHUTDOWN_BUDGET_MS = 25_000;

/** Writes `message` to stderr, each line prefixed with the process name, and exits 1. */
export function exitWith(name: string, message: string): never {
  process.stderr.write(`${name}: ${message.replaceAll("\n", `\n${name}: `)}\n`);
  process.exit(1);
}

/** Reads configuration, or exits naming every problem. */
export function configOrExit<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) exitWith(name, error.message);
    throw error;
  }
}

/**
 * Starts pup with `start` and keeps it running until a stop signal.
 * @param draining what the stop message says is no longer taken ("requests", "jobs").
 */
export async function runAsProcess(
  name: string,
  logger: Logger,
  start: () => Promise<RunningPup>,
  draining: string,
): Promise<RunningPup> {
  let running: RunningPup | undefined;
  let stopping = false;
  const stop = async (): Promise<never> => {
    const forced = setTimeout(() => {
      logger.error({ budgetMs: SHUTDOWN_BUDGET_MS }, `${name} did not stop in time; exiting`);
      process.exit(1);
    }, SHUTDOWN_BUDGET_MS);
    forced.unref();
    await running?.stop(DRAIN_GRACE_MS);
    logger.info(`${name} stopped`);
    process.exit(0);
  };
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} stopping: no new ${draining}, draining`);
    if (running) void stop();
  };
  // Registered before starting, so a stop signal during start-up still ends in a clean exit.
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  // A connection error that escapes its client (a socket's error with no listener, a rejected
  // reconnect nobody awaits) must not kill a process that would ride out the outage: the jobs
  // and requests that need the dependency already wait or answer 503 (ADR-027). Anything else
  // is a bug: logged, then the process exits as Node would.
  const onEscaped = (kind: string) => (error: unknown) => {
    if (isDependencyOutage(error)) {
      logger.warn(
        { err: error, kind },
        `${name}: a connection error escaped its client; running on`,
      );
      return;
    }
    logger.fatal({ err: error, kind }, `${name}: ${kind}; exiting`);
    // The log may be buffered; the exit is not: say it on stderr too, synchronously.
    process.stderr.write(`${name}: ${kind}, exiting: ${String(error)}\n`);
    process.exit(1);
  };
  process.on("uncaughtException", onEscaped("uncaught exception"));
  process.on("unhandledRejection", onEscaped("unhandled rejection"));
  try {
    running = await start();
  } catch (error) {
    if (error instanceof PersonaError || error instanceof StartError) {
      exitWith(name, error.message);
    }
    logger.fatal({ err: error }, `${name} could not start`);
    process.exit(1);
  }
  if (stopping) await stop();
  return running;
}
