/**
 * CPU time of another process, read from Linux's /proc, so the edge benchmark can charge workerd's
 * CPU to the requests a run sent: (CPU after - CPU before) / responses. workerd runs every
 * variant in one process, and the variants are measured one at a time, so the delta over a run
 * belongs to the variant under load (plus workerd's idle housekeeping, negligible over seconds).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's utime/stime fields (USER_HZ; 100 on Linux x86_64). */
const CLOCK_TICKS_PER_SECOND = 100;

/** Fields of /proc/PID/stat after the `(comm)` part, which may itself contain spaces. */
function statFields(pid: number): { comm: string; rest: string[] } {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  return { comm: text.slice(open + 1, close), rest: text.slice(close + 2).split(" ") };
}

/** User + system CPU seconds the process has used so far (all its threads). */
export function processCpuSeconds(pid: number): number {
  const { rest } = statFields(pid);
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const ticks = Number(rest[11]) + Number(rest[12]);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Pids of the direct children of `parentPid` whose command name is `comm`. */
export function childPidsNamed(parentPid: number, comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const fields = statFields(pid);
      if (fields.comm === comm && Number(fields.rest[1]) === parentPid) pids.push(pid);
    } catch {
      // The process exited between readdir and read.
    }
  }
  return pids;
}
