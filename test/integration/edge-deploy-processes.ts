/**
 * Process plumbing for the edge deployment tests: running package scripts and the wrangler
 * launcher as operators do, finding free loopback ports, and proving that a stopped process
 * group left nothing behind (wrangler dev starts workerd and esbuild children).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");

/** What a finished child printed, and how it ended. */
export interface Finished {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bun <args>` from the repository root with exactly `env`, and waits for it. */
export async function runBun(args: string[], env: Record<string, string>): Promise<Finished> {
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: ROOT,
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await child.exited;
  return { exitCode: child.exitCode, stdout, stderr };
}

/** A loopback port nobody listens on at the moment of the call. */
export function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
}

/** Fetches `url` until it answers (any status) or `timeoutMs` passes; undefined on timeout. */
export async function fetchWhenUp(url: string, timeoutMs: number): Promise<Response | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2_000) });
    } catch {
      await Bun.sleep(250);
    }
  }
  return undefined;
}

/** Resolves with the promise's value, or with `fallback` once `timeoutMs` has passed. */
export function within<T, F>(promise: Promise<T>, timeoutMs: number, fallback: F): Promise<T | F> {
  return Promise.race([promise, Bun.sleep(timeoutMs).then(() => fallback)]);
}

/** Pid and command line of every live process whose process group is `pgid` (Linux /proc). */
export function processesInGroup(pgid: number): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command name: state, ppid, pgrp, ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) !== pgid || state === "Z") continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Waits until the group is empty; returns whatever is still alive after `timeoutMs`. */
export async function waitForGroupToEnd(pgid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let alive = processesInGroup(pgid);
  while (alive.length > 0 && Date.now() < deadline) {
    await Bun.sleep(100);
    alive = processesInGroup(pgid);
  }
  return alive;
}
