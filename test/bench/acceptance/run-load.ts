/** Runs one acceptance load in a child `bun` process (see load.ts) and returns its result. */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AcceptancePlan, AcceptanceResult } from "./plan";

const GENERATOR = join(import.meta.dir, "load.ts");

export async function runAcceptanceLoad(plan: AcceptancePlan): Promise<AcceptanceResult> {
  const file = join(tmpdir(), `pup-acceptance-bench-${process.pid}-${crypto.randomUUID()}.json`);
  await Bun.write(file, JSON.stringify(plan));
  try {
    const child = Bun.spawn({
      cmd: [process.execPath, GENERATOR, file],
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
      throw new Error(
        `acceptance load generator exited ${code}: ${stderr.trim() || stdout.trim()}`,
      );
    }
    return JSON.parse(last) as AcceptanceResult;
  } finally {
    await rm(file, { force: true });
  }
}
