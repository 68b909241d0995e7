/**
 * `bun run bench`: runs every `*.bench.ts` under test/bench/ (or those the arguments name: exactly
 * by name if one is, otherwise every path containing the argument), prints each suite as a table of side-by-side values and ratios, and writes all
 * reports as JSON to `.bench/<timestamp>.json` and `.bench/latest.json`.
 */
import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { type Benchmark, type BenchReport, formatReport } from "./report";

const root = join(import.meta.dir, "..", "..");
const filters = process.argv.slice(2);
const all = [...new Bun.Glob("**/*.bench.ts").scanSync({ cwd: import.meta.dir })].sort();
/** A bench named exactly (`memory` is memory.bench.ts, not working-memory too), else by substring. */
const matching = (needle: string) => {
  const exact = all.filter((f) => f === `${needle}.bench.ts` || f.endsWith(`/${needle}.bench.ts`));
  return exact.length > 0 ? exact : all.filter((f) => f.includes(needle));
};
const files = filters.length === 0 ? all : [...new Set(filters.flatMap(matching))].sort();

if (files.length === 0) {
  console.error(`bench: no *.bench.ts matched ${filters.join(", ") || "(all)"}`);
  process.exit(1);
}

const reports: BenchReport[] = [];
let failed = false;
for (const file of files) {
  const path = join(import.meta.dir, file);
  console.log(`bench: running ${relative(root, path)} …`);
  try {
    const mod = (await import(path)) as { default: Benchmark };
    const report = await mod.default();
    reports.push(report);
    console.log(`\n${formatReport(report)}\n`);
  } catch (error) {
    failed = true;
    console.error(`bench: ${file} failed:`, error);
  }
}

const outDir = join(root, ".bench");
await mkdir(outDir, { recursive: true });
const stamp = new Date().toISOString().replaceAll(":", "-");
const body = JSON.stringify({ at: new Date().toISOString(), bun: Bun.version, reports }, null, 2);
await Bun.write(join(outDir, `${stamp}.json`), body);
await Bun.write(join(outDir, "latest.json"), body);
console.log(`bench: wrote ${relative(root, join(outDir, `${stamp}.json`))}`);
process.exit(failed ? 1 : 0);
