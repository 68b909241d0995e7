// `bun run db:check`: fails when the schema code has changes that no committed migration holds.
// It runs `drizzle-kit generate` against a temporary copy of db/migrations, so the working tree
// is never touched, and reports any migration drizzle-kit would have written.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "..", "..");

/** Returns the process exit code: 0 when drizzle-kit finds nothing to generate. */
function checkMigrations(scratch: string): number {
  const out = join(scratch, "migrations");
  cpSync(join(repoRoot, "db", "migrations"), out, { recursive: true });
  const before = new Set(readdirSync(out));
  const config = join(scratch, "drizzle.check.config.ts");
  // drizzle-kit prefixes `out` with "./", so it must be relative to the working directory.
  const settings = {
    dialect: "postgresql",
    schema: join(repoRoot, "db/schema/index.ts"),
    out: "./migrations",
  };
  writeFileSync(config, `export default ${JSON.stringify(settings)};\n`);

  const run = Bun.spawnSync(
    [join(repoRoot, "node_modules/.bin/drizzle-kit"), "generate", "--config", config],
    { cwd: scratch, stdout: "pipe", stderr: "pipe" },
  );
  const output = `${run.stdout}${run.stderr}`;
  const added = readdirSync(out).filter((name) => !before.has(name) && name.endsWith(".sql"));
  // drizzle-kit exits 0 on some errors, so success is its own "nothing to do" line and no new file.
  if (run.exitCode !== 0 || (added.length === 0 && !/No schema changes/i.test(output))) {
    console.error(`db:check: drizzle-kit generate failed\n${output}`);
    return 1;
  }
  if (added.length > 0) {
    console.error(
      "db:check: the schema has changes without a migration. Run `bun run db:generate`",
    );
    for (const name of added) {
      console.error(`--- ${name}\n${readFileSync(join(out, name), "utf8")}`);
    }
    return 1;
  }
  console.log("db:check: drizzle-kit generate finds no pending change");
  return 0;
}

const scratch = mkdtempSync(join(tmpdir(), "pup-db-check-"));
let exitCode = 1;
try {
  exitCode = checkMigrations(scratch);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
