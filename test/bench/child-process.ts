/**
 * Benchmarks drive load from a separate `bun` process, so the load generator's CPU never
 * competes inside the measured process. The plan goes in a temporary JSON file; the child prints
 * one JSON result as its last stdout line.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type autocannon from "autocannon";

/** Runs `script plan.json` in a child `bun` and returns its last stdout line, parsed. */
export async function runJsonChild<Result>(
  script: string,
  plan: unknown,
  label: string,
): Promise<Result> {
  const file = join(tmpdir(), `pup-bench-${label}-${process.pid}-${crypto.randomUUID()}.json`);
  await Bun.write(file, JSON.stringify(plan));
  try {
    const child = Bun.spawn({
      cmd: [process.execPath, script, file],
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    const last = stdout.trim().split("\n").at(-1) ?? "";
    if (code !== 0 || !last.startsWith("{")) {
      throw new Error(`${label} load generator exited ${code}: ${stderr.trim() || stdout.trim()}`);
    }
    return JSON.parse(last) as Result;
  } finally {
    await rm(file, { force: true });
  }
}

/** What every load result reports from an autocannon run besides its latencies. */
export function loadCounts(result: autocannon.Result) {
  return {
    requestsPerSecond: result.requests.average,
    responses: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // Per status, as `{ "200": n, ... }`.
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
    ) as Record<string, number>,
  };
}

/** The child side: runs `main` on the plan file named on the command line, or explains usage. */
export async function runWithPlanFile(script: string, main: (file: string) => Promise<void>) {
  const file = process.argv[2];
  if (!file) {
    console.error(`usage: bun ${script} PLAN.json`);
    process.exit(2);
  }
  await main(file);
}
