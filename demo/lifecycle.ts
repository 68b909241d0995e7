/**
 * The demo's life as a terminal program: progress on stderr, exactly one line on stdout
 * (`pup demo ready: <url>`) once the page answers and pup can reply, Ctrl-C or SIGTERM stopping
 * it cleanly within STOP_BUDGET_MS, and a second Ctrl-C stopping it at once.
 */
import type { Logger } from "pino";
import { DemoStartError, type RunningDemo } from "./start";

/** From the first stop signal to the exit, whatever is still running. */
const STOP_BUDGET_MS = 10_000;
/** Jobs in flight get this long to finish; the rest of the budget is for closing. */
const DRAIN_GRACE_MS = 7_000;

export const progress = (line: string) => process.stderr.write(`pup demo: ${line}\n`);

export function fail(message: string): never {
  progress(message);
  process.exit(1);
}

/** Runs `start`, prints the ready line, and stops on signals. */
export async function runDemo(start: () => Promise<RunningDemo>, logger: Logger): Promise<void> {
  const startedAt = performance.now();
  let demo: RunningDemo | undefined;
  let stopSignal: string | undefined;
  const stop = async (): Promise<never> => {
    const forced = setTimeout(() => {
      progress(`did not stop within ${STOP_BUDGET_MS / 1000} s; exiting`);
      process.exit(1);
    }, STOP_BUDGET_MS);
    forced.unref();
    await demo?.stop(DRAIN_GRACE_MS);
    progress("stopped");
    process.exit(0);
  };
  const onSignal = (signal: string) => {
    if (stopSignal !== undefined) {
      progress(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopSignal = signal;
    progress(`${signal}: stopping (press Ctrl-C again to exit at once)`);
    // While starting, the stop waits for the start to finish, so nothing is left half-open.
    if (demo) void stop();
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  try {
    demo = await start();
  } catch (error) {
    if (error instanceof DemoStartError) fail(error.message);
    logger.fatal({ err: error }, "the demo could not start");
    fail(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (stopSignal !== undefined) await stop();
  progress(`started in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  process.stdout.write(`pup demo ready: ${demo.url}\n`);
}
