import { expect, test } from "bun:test";
import { join } from "node:path";

const FIXTURE = join(
  import.meta.dir,
  "..",
  "..",
  "..",
  "test",
  "fixtures",
  "process",
  "escaped-error.ts",
);

async function run(kind: string): Promise<{ code: number; out: string; err: string }> {
  const child = Bun.spawn(["bun", FIXTURE, kind], { stdout: "pipe", stderr: "pipe" });
  const stop = setTimeout(() => child.kill("SIGTERM"), 900);
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  clearTimeout(stop);
  return { code, out, err };
}

test("a connection error that escapes its client is logged and the process runs on", async () => {
  for (const kind of ["connection", "rejection"]) {
    const { code, out } = await run(kind);
    const lines = out.trim().split("\n");
    expect({ kind, lines: lines.filter((l) => !l.startsWith("{")) }).toEqual({
      kind,
      lines: ["started", "still running"],
    });
    expect(out).toContain("a connection error escaped its client; running on");
    // Stopped by SIGTERM, cleanly.
    expect(code).toBe(0);
  }
});

test("any other escaped error is logged as fatal and the process exits 1", async () => {
  const { code, out, err } = await run("bug");
  expect(out).not.toContain("still running");
  expect(err).toContain("escaped: uncaught exception, exiting: Error: a bug");
  expect(code).toBe(1);
});
