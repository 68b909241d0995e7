/**
 * `bun run demo` as a user starts it, for the browser test and the demo benchmark: a child
 * process in the repository root with a bare environment (no database, Redis, model or test
 * variables, as on a fresh clone after `bun install`), its own data directory and a free port.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

export const REPO_ROOT = resolve(import.meta.dir, "..", "..", "..");

/** What the demo prints on stdout once the page answers and pup can reply. */
export const READY_LINE = /^pup demo ready: (http:\/\/127\.0\.0\.1:(\d+)\/)$/m;

/** Variables a shell normally has; nothing that would configure pup comes through. */
const PASSED_THROUGH = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM", "TMPDIR", "TZ"];

/** The demo's environment: the shell basics plus `extra`, and nothing else. */
export function demoEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

export interface DemoProcess {
  child: Subprocess<"ignore", "pipe", "pipe">;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the page's URL when the ready line appears; rejects if the process ends. */
  ready: Promise<string>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Spawns `bun run demo` on `dataDir` (PUP_DEMO_PORT=0: a free port). */
export function spawnDemo(dataDir: string, extra: Record<string, string> = {}): DemoProcess {
  const child = Bun.spawn([process.execPath, "run", "demo"], {
    cwd: REPO_ROOT,
    env: demoEnvironment({ PUP_DATA_DIR: dataDir, PUP_DEMO_PORT: "0", ...extra }),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let stdout = "";
  let stderr = "";
  const collect = async (stream: ReadableStream<Uint8Array>, onText: (text: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
  };
  let announce: (url: string) => void = () => {};
  const ready = new Promise<string>((resolveReady, rejectReady) => {
    announce = resolveReady;
    void child.exited.then((code) =>
      rejectReady(new Error(`the demo exited (${code}) before it was ready:\n${stderr}`)),
    );
  });
  void collect(child.stdout, (text) => {
    stdout += text;
    const match = READY_LINE.exec(stdout);
    if (match?.[1]) announce(match[1]);
  });
  void collect(child.stderr, (text) => {
    stderr += text;
  });
  ready.catch(() => {});
  return {
    child,
    output: () => `--- stdout\n${stdout}--- stderr\n${stderr}`,
    ready,
    async stop(signal = "SIGINT") {
      child.kill(signal);
      return child.exited;
    },
  };
}

/** A new empty directory under the system's temporary directory. */
export function scratchDataDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `pup-${label}-`));
}
