// Runs scripts/ensure-services.sh for real: with the services up it must only check and skip, and
// where it cannot act (not Debian, not root, archive unreachable) it must stop with a clear error
// and change nothing. Error paths point the script at a Redis port nothing listens on, so it has
// something to do, and at loopback addresses only.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, copyFile, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const script = resolve(import.meta.dir, "../../scripts/ensure-services.sh");
const isRoot = process.getuid?.() === 0;
const osId = (
  await Bun.file("/etc/os-release")
    .text()
    .catch(() => "")
).match(/^ID=(.*)$/m)?.[1];
const isDebian = osId === "debian";
// Developers who bring their own services opt out of the script; its checks then do not apply.
const servicesManaged = process.env.PUP_SKIP_SERVICES !== "1";

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with the script's environment knobs (never inheriting PUP_SKIP_SERVICES). */
async function run(command: string[], env: Record<string, string> = {}): Promise<Run> {
  const { PUP_SKIP_SERVICES: _ignored, ...inherited } = process.env;
  const child = Bun.spawn(command, {
    env: { ...inherited, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/** A loopback port nothing listens on (taken from the kernel, then released). */
function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = server;
  server.stop(true);
  return port;
}

async function isListening(port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

/** How to run a command as an unprivileged user ([] when we are not root), if there is a way. */
function unprivilegedPrefix(): string[] | undefined {
  if (!isRoot) return [];
  if (Bun.which("setpriv")) return ["setpriv", "--reuid=nobody", "--regid=65534", "--clear-groups"];
  if (Bun.which("runuser")) return ["runuser", "-u", "nobody", "--"];
  return undefined;
}
const unprivileged = unprivilegedPrefix();
// With passwordless sudo the script would (rightly) use it, so there is no refusal to observe.
const hasSudo =
  !isRoot && Bun.which("sudo") !== null && Bun.spawnSync(["sudo", "-n", "true"]).success;

let scratch = "";

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pup-services-"));
  // A copy anyone can read, so the unprivileged run does not depend on the checkout's permissions.
  await chmod(scratch, 0o755);
  await copyFile(script, join(scratch, "ensure-services.sh"));
  await chmod(join(scratch, "ensure-services.sh"), 0o755);
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("ensure-services.sh with the services up", () => {
  test.skipIf(!servicesManaged)("checks, finds everything and changes nothing", async () => {
    const first = await run(["bash", script]);
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/^postgres: 15\.\S+ .*running on 127\.0\.0\.1:5432$/m);
    expect(first.stdout).toMatch(/^redis: 7\.\S+ running on 127\.0\.0\.1:6379$/m);
    expect(first.stdout).toContain("pgvector: present, skipping");
    // The demo's browser test drives Debian's Chromium; the script installs it when missing.
    expect(first.stdout).toContain("chromium: present, skipping");

    // Idempotent: a second run takes the same quick path and neither installs nor starts anything.
    const second = await run(["bash", script]);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain("pgvector: present, skipping");
    expect(second.stdout).not.toMatch(/starting|installing|building|setting it up/);
    expect(second.stdout).toMatch(/^services: ready in \d+\.\d+ s$/m);
  });

  test("PUP_SKIP_SERVICES=1 skips every check and says so", async () => {
    const result = await run(["bash", script], { PUP_SKIP_SERVICES: "1" });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("PUP_SKIP_SERVICES=1, skipped");
    expect(result.stdout).not.toContain("postgres:");
  });
});

describe("ensure-services.sh when it cannot act", () => {
  test("refuses to set anything up on a system that is not Debian", async () => {
    const osRelease = join(scratch, "os-release");
    await writeFile(osRelease, 'ID=alpine\nPRETTY_NAME="Alpine Linux"\n');
    const port = freePort();
    const result = await run(["bash", script], {
      PUP_OS_RELEASE: osRelease,
      PUP_REDIS_PORT: String(port),
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("this is not Debian (ID=alpine");
    expect(result.stderr).toContain("PUP_SKIP_SERVICES=1");
    expect(await isListening(port)).toBe(false);
  });

  test.skipIf(!isDebian || !unprivileged || hasSudo)("refuses to act without root", async () => {
    const port = freePort();
    const command = [...(unprivileged ?? []), "bash", join(scratch, "ensure-services.sh")];
    const result = await run(command, { PUP_REDIS_PORT: String(port) });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("needs root");
    expect(result.stderr).toContain("no passwordless sudo");
    expect(await isListening(port)).toBe(false);
  });

  test.skipIf(!isDebian)(
    "reports an unreachable archive and leaves the system's apt state alone",
    async () => {
      const sources = join(scratch, "debian.sources");
      const unreachable = `http://127.0.0.1:${freePort()}/debian`;
      await writeFile(sources, `Types: deb\nURIs: ${unreachable}\nSuites: bookworm\n`);
      const aptState = ["/etc/apt", "/etc/apt/sources.list.d", "/var/lib/apt/lists"];
      const before = await snapshot(aptState);
      const result = await run(["bash", script], {
        PUP_APT_SOURCES: sources,
        PUP_PGVECTOR_DESTDIR: join(scratch, "staged"),
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain(`cannot reach the Debian archive at ${unreachable}`);
      expect(await snapshot(aptState)).toEqual(before);
    },
  );
});

/** Names and modification times of the entries of some directories, to detect any change. */
async function snapshot(dirs: string[]): Promise<string[]> {
  const entries: string[] = [];
  for (const dir of dirs) {
    for (const name of await readdir(dir).catch(() => [])) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      entries.push(`${dir}/${name} ${info?.mtimeMs ?? "gone"}`);
    }
  }
  return entries;
}
