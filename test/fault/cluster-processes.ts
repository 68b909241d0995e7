/**
 * pup's processes as operators run them, for the fault tests: `bun run worker` and `bun run
 * core` as child processes with an exact environment, each ready once its /healthz answers, its
 * output in a log file the test can count lines in afterwards (which process did which job).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_CORE_SHARED_SECRET } from "../e2e/edge/workerd";
import { freePort } from "../integration/edge-deploy-processes";

const ROOT = join(import.meta.dir, "..", "..");
const logDir = mkdtempSync(join(tmpdir(), "pup-fault-"));

export interface PupProcess {
  child: ReturnType<typeof Bun.spawn>;
  /** Loopback origin of its HTTP pages (core's whole surface; a worker's metrics port). */
  url: string;
  /** stdout (pino's JSON lines); stderr is `${logFile}.err`. */
  logFile: string;
}

/** Spawns `bun <entry>` with exactly `env` and waits for `<url>/healthz` (30 s, else throws). */
export async function spawnUntilHealthy(
  role: "core" | "worker",
  entry: string,
  env: Record<string, string>,
  port: number,
  args: string[] = [],
): Promise<PupProcess> {
  const logFile = join(logDir, `${role}-${port}-${Date.now()}.log`);
  const child = Bun.spawn([process.execPath, entry, ...args], {
    cwd: ROOT,
    env,
    stdin: "ignore",
    stdout: Bun.file(logFile),
    stderr: Bun.file(`${logFile}.err`),
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return { child, url, logFile };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      const stderr = await Bun.file(`${logFile}.err`)
        .text()
        .catch(() => "");
      const stdout = await Bun.file(logFile)
        .text()
        .catch(() => "");
      throw new Error(
        `${role} did not start (exit ${child.exitCode}): ${(stderr || stdout).slice(0, 2000)}`,
      );
    }
    await Bun.sleep(100);
  }
}

/**
 * `bun run core` on a free loopback port with the workers' environment (same Redis, database,
 * Slack and model), signing secret shared with the test's edge. With REDIS_URL set core only
 * accepts and enqueues; the workers run the jobs.
 */
export function startCoreProcess(workerEnv: Record<string, string>): Promise<PupProcess> {
  const port = freePort();
  return spawnUntilHealthy(
    "core",
    "core/src/main.ts",
    {
      ...workerEnv,
      HOST: "127.0.0.1",
      PORT: String(port),
      CORE_SHARED_SECRET: TEST_CORE_SHARED_SECRET,
    },
    port,
  );
}

/** How many of a process's JSON log lines have `msg` equal to `message`. */
export async function countLogLines(process: PupProcess, message: string): Promise<number> {
  const text = await Bun.file(process.logFile)
    .text()
    .catch(() => "");
  let count = 0;
  for (const line of text.split("\n")) {
    if (!line.includes(message)) continue;
    try {
      if ((JSON.parse(line) as { msg?: unknown }).msg === message) count += 1;
    } catch {
      // A line cut by a kill; not a finished job.
    }
  }
  return count;
}
