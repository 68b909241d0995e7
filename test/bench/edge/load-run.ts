/**
 * Runs one load run in a separate process (see load-generator.ts) and returns what it measured,
 * together with the CPU time workerd spent meanwhile.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadPlan, LoadResult } from "./load-generator";
import { processCpuSeconds } from "./process-cpu";

const GENERATOR = join(import.meta.dir, "load-generator.ts");

/** A load run's result plus the CPU the measured process used during it. */
export interface MeasuredRun extends LoadResult {
  cpuSeconds: number;
  /** Milliseconds of CPU per response. */
  cpuMsPerRequest: number;
}

/** Sends `plan` with autocannon in a child `bun` process while metering `cpuPid`. */
export async function runLoad(plan: LoadPlan, cpuPid: number): Promise<MeasuredRun> {
  const file = join(tmpdir(), `pup-edge-bench-${process.pid}-${crypto.randomUUID()}.json`);
  await Bun.write(file, JSON.stringify(plan));
  try {
    const child = Bun.spawn({
      cmd: [process.execPath, GENERATOR, file],
      stdout: "pipe",
      stderr: "pipe",
    });
    // The child needs a moment to start and read the plan; CPU is sampled around the whole
    // child, and workerd is idle until the first request arrives.
    const cpuBefore = processCpuSeconds(cpuPid);
    const [stdout, stderr, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    const cpuSeconds = processCpuSeconds(cpuPid) - cpuBefore;
    const last = stdout.trim().split("\n").at(-1) ?? "";
    if (code !== 0 || !last.startsWith("{")) {
      throw new Error(`load generator exited ${code}: ${stderr.trim() || stdout.trim()}`);
    }
    const result = JSON.parse(last) as LoadResult;
    return {
      ...result,
      cpuSeconds,
      cpuMsPerRequest: result.responses > 0 ? (cpuSeconds * 1000) / result.responses : Number.NaN,
    };
  } finally {
    await rm(file, { force: true });
  }
}
