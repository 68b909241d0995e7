/**
 * CPU time of the PostgreSQL backends serving one database, read from /proc (PostgreSQL runs on
 * this machine in the test setup). It tells how much of an event's cost lands on the database
 * server rather than in the Bun process. Linux only; resolution is one clock tick (10 ms), so it
 * is only meaningful summed over a run.
 */
import { readFile } from "node:fs/promises";
import type postgres from "postgres";

/** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) used so far by each backend of `database`, by pid. */
export async function backendCpu(
  admin: postgres.Sql,
  database: string,
): Promise<Map<number, number>> {
  const rows = await admin<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
    if (!stat) continue;
    // Fields after the parenthesised command: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (Number.isFinite(ticks)) cpu.set(pid, (ticks * 1000) / TICKS_PER_SECOND);
  }
  return cpu;
}

/** CPU milliseconds the backends used between two readings (new backends count in full). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
