// `bun run db:migrate` as an operator runs it: configuration errors name the variable and exit
// non-zero; a good configuration migrates and says so.
import { expect, test } from "bun:test";
import { join } from "node:path";
import journal from "../../db/migrations/meta/_journal.json";
import { createScratchDatabase } from "../setup/isolation";

const script = join(import.meta.dir, "..", "..", "db", "cli", "migrate.ts");

function runMigrate(env: Record<string, string>) {
  const run = Bun.spawnSync([process.execPath, script], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: run.exitCode, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

test("a malformed variable stops db:migrate with a message naming it", () => {
  const dims = runMigrate({ EMBEDDING_DIMENSIONS: "lots" });
  expect(dims.code).not.toBe(0);
  expect(dims.stderr).toContain("EMBEDDING_DIMENSIONS: must be a whole number");

  const url = runMigrate({ DATABASE_URL: "mysql://localhost/pup" });
  expect(url.code).not.toBe(0);
  expect(url.stderr).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
});

test("db:migrate applies the migrations to DATABASE_URL and reports progress", async () => {
  const scratch = await createScratchDatabase();
  try {
    const run = runMigrate({ DATABASE_URL: scratch.url, EMBEDDING_DIMENSIONS: "256" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`applied ${journal.entries.length} migration(s)`);
    expect(run.stdout).toContain("re-typed from vector(512) to vector(256)");
    expect(run.stdout).not.toContain(scratch.url);
  } finally {
    await scratch.drop();
  }
});
