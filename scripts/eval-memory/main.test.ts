// `bun run eval:memory` as a command: the real script in a child process on a synthetic
// LoCoMo-format file, on this run's PostgreSQL and on embedded PGlite, plus its usage errors.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { createDb } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { SCORED_QUESTIONS, SYNTHETIC_LOCOMO } from "./synthetic-locomo";

const ROOT = join(import.meta.dir, "..", "..");
/** A run migrates a database and embeds every turn; PGlite compiles its WASM first. */
const RUN_TIMEOUT_MS = 120_000;

interface RecallTable {
  overall: Record<string, number>;
  categories: Record<string, Record<string, number>>;
}
interface Report {
  questions: number;
  systems: { pup: RecallTable; bm25: RecallTable };
}

let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pup-eval-memory-"));
  writeFileSync(file("synthetic.json"), JSON.stringify(SYNTHETIC_LOCOMO));
  writeFileSync(file("not-json.json"), "[{ this is not json");
  writeFileSync(file("other-shape.json"), JSON.stringify({ conversations: [] }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The environment without DATABASE_URL (embedded PGlite), plus `extra`. */
function environment(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const { DATABASE_URL: _unset, ...rest } = process.env;
  return { ...rest, ...extra };
}

async function evalMemory(args: string[], env = environment()) {
  const child = Bun.spawn([process.execPath, "scripts/eval-memory/main.ts", ...args], {
    cwd: ROOT,
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, code };
}

/** The last stdout line, checked against the contract's shape for k = 1 and 5. */
function contractReport(stdout: string): Report {
  const report = JSON.parse(stdout.trimEnd().split("\n").at(-1) ?? "") as Report;
  expect(Object.keys(report).sort()).toEqual(["questions", "systems"]);
  expect(Object.keys(report.systems).sort()).toEqual(["bm25", "pup"]);
  for (const table of Object.values(report.systems)) {
    expect(Object.keys(table).sort()).toEqual(["categories", "overall"]);
    expect(Object.keys(table.categories)).toEqual(["1", "2", "3", "4"]);
    for (const recall of [table.overall, ...Object.values(table.categories)]) {
      expect(Object.keys(recall)).toEqual(["1", "5"]);
      for (const value of Object.values(recall)) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    // Overall is the mean over the questions of categories 1-4, not over the categories.
    for (const k of ["1", "5"]) {
      const weighted = Object.entries(SCORED_QUESTIONS).reduce(
        (sum, [category, count]) => sum + (table.categories[category]?.[k] ?? Number.NaN) * count,
        0,
      );
      expect(table.overall[k]).toBeCloseTo(weighted / report.questions, 10);
    }
  }
  return report;
}

const scoredQuestions = Object.values(SCORED_QUESTIONS).reduce((sum, n) => sum + n, 0);

/** Rows of the evaluation's workspaces (team ids "TLOCOMO-…"), by table, where any remain. */
async function evaluationRows(databaseUrl: string): Promise<Record<string, number>> {
  const handle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  try {
    const tables = await queryRows<{ table_name: string }>(
      handle.db,
      sql`select table_name from information_schema.columns
          where table_schema = 'public' and column_name = 'team_id'`,
    );
    expect(tables.map((t) => t.table_name)).toContain("messages");
    const left: Record<string, number> = {};
    for (const { table_name: table } of tables) {
      const [row] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from ${sql.identifier(table)} where team_id like 'TLOCOMO-%'`,
      );
      if (row && row.n > 0) left[table] = row.n;
    }
    return left;
  } finally {
    await handle.close();
  }
}

describe("eval:memory", () => {
  let postgresReport: Report | undefined;

  test(
    "on PostgreSQL: contract JSON, the planted evidence found, no rows left behind",
    async () => {
      const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
      if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the preload running?");
      const run = await evalMemory(
        ["--data", file("synthetic.json"), "--json", "--k", "1,5"],
        environment({ DATABASE_URL: databaseUrl }),
      );
      expect(run.stderr).not.toContain("eval:memory:");
      expect(run.code).toBe(0);
      const report = contractReport(run.stdout);
      expect(report.questions).toBe(scoredQuestions);
      expect(report.systems.pup.overall["5"]).toBeGreaterThan(0);
      // Category 3 holds one easy question: where Bruno went hiking with his sister.
      expect(report.systems.pup.categories["3"]?.["5"]).toBe(1);
      expect(report.systems.bm25.categories["3"]?.["5"]).toBe(1);
      // The human-readable table comes first.
      expect(run.stdout).toContain(`2 conversations, 32 turns, ${scoredQuestions} questions`);
      // pup's daily summaries are scored beside it by default, outside the contract's JSON.
      expect(run.stdout).toContain("pup + summaries");
      expect(run.stdout).toContain("derived items among the first k");
      postgresReport = report;
      expect(await evaluationRows(databaseUrl)).toEqual({});
    },
    RUN_TIMEOUT_MS,
  );

  test(
    "on embedded PGlite in memory when DATABASE_URL is unset",
    async () => {
      const run = await evalMemory(["--data", file("synthetic.json"), "--json", "--k", "5,1"]);
      expect(run.stderr).not.toContain("eval:memory:");
      expect(run.code).toBe(0);
      const report = contractReport(run.stdout);
      expect(report.questions).toBe(scoredQuestions);
      expect(report.systems.pup.categories["3"]?.["5"]).toBe(1);
      // The same file gives the same numbers on either database (k given in another order).
      if (postgresReport) expect(report).toEqual(postgresReport);
    },
    RUN_TIMEOUT_MS,
  );

  test("without --data, or with an unknown option, it exits 2 with usage", async () => {
    const [missing, unknown] = await Promise.all([
      evalMemory(["--json"]),
      evalMemory(["--data", file("synthetic.json"), "--top", "5"]),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--data FILE is required");
    expect(missing.stderr).toContain("usage: bun run eval:memory");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("usage:");
    expect(missing.stdout + unknown.stdout).toBe("");
  });

  test("a file it cannot read, or that is not JSON, exits 2", async () => {
    const [absent, garbled] = await Promise.all([
      evalMemory(["--data", file("absent.json")]),
      evalMemory(["--data", file("not-json.json")]),
    ]);
    for (const run of [absent, garbled]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
    }
    expect(absent.stderr).toContain(`cannot read ${file("absent.json")}`);
    expect(garbled.stderr).toContain(`cannot read ${file("not-json.json")}`);
  });

  test("JSON of another shape exits 1: not a LoCoMo-format file", async () => {
    const run = await evalMemory(["--data", file("other-shape.json"), "--json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("not a LoCoMo-format file");
    expect(run.stdout).toBe("");
  });

  test("a --k that is not a list of positive integers exits 2", async () => {
    const runs = await Promise.all(
      ["0,5", "1,five", "2.5", ""].map((k) =>
        evalMemory(["--data", file("synthetic.json"), "--k", k]),
      ),
    );
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--k must be positive integers");
      expect(run.stdout).toBe("");
    }
  });
});
