/**
 * Runs one load run in a separate process (see load-generator.ts) and returns what it measured,
 * together with the CPU time workerd spent meanwhile.
 */
import { join } from "node:path";
import { runJsonChild } from "../child-process";
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
  // The child needs a moment to start and read the plan; CPU is sampled around the whole
  // child, and workerd is idle until the first request arrives.
  const cpuBefore = processCpuSeconds(cpuPid);
  const result = await runJsonChild<LoadResult>(GENERATOR, plan, "edge");
  const cpuSeconds = processCpuSeconds(cpuPid) - cpuBefore;
  return {
    ...result,
    cpuSeconds,
    cpuMsPerRequest: result.responses > 0 ? (cpuSeconds * 1000) / result.responses : Number.NaN,
  };
}
