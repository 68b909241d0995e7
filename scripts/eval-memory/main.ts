/**
 * `bun run eval:memory -- --data FILE [--k 1,5,10,25] [--json]`: retrieval recall@k of pup's
 * memory on a LoCoMo-format file, beside the plain BM25 baseline over the same turns, measured
 * in the same run. Each conversation is its own workspace; its turns are stored and embedded
 * through pup's message store and embedding path, and every question is answered by pup's recall
 * (the same function replies use). Embedded PGlite (in memory) by default; `DATABASE_URL` runs it
 * on PostgreSQL (the workspaces it creates are removed again). The offline embedder is used, so
 * the numbers are reproducible on any machine.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { dailySummaries } from "./daily-summaries";
import { formatReport } from "./report";
import { type EvalReport, runEvaluation } from "./run";

function usage(message: string): never {
  process.stderr.write(
    `eval:memory: ${message}\nusage: bun run eval:memory -- --data FILE [--k 1,5,10,25] [--json] [--messages-only]\n`,
  );
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        data: { type: "string" },
        k: { type: "string", default: "1,5,10,25" },
        json: { type: "boolean", default: false },
        "messages-only": { type: "boolean", default: false },
      },
      strict: true,
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
})();

if (!values.data) usage("--data FILE is required (a LoCoMo-format JSON file)");
const ks = values.k.split(",").map((part) => Number(part.trim()));
if (ks.some((k) => !Number.isInteger(k) || k < 1)) {
  usage(`--k must be positive integers separated by commas, got "${values.k}"`);
}

let json: unknown;
try {
  json = JSON.parse(readFileSync(values.data, "utf8"));
} catch (error) {
  usage(`cannot read ${values.data}: ${error instanceof Error ? error.message : String(error)}`);
}

let report: EvalReport;
try {
  report = await runEvaluation(json, {
    ks,
    databaseUrl: process.env.DATABASE_URL || undefined,
    progress: process.stderr,
    // pup's daily summaries scored beside it (ADR-031); the JSON's `pup` stays messages only.
    ...(values["messages-only"] ? {} : { derived: dailySummaries() }),
  });
} catch (error) {
  process.stderr.write(`eval:memory: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(formatReport(report));
if (values.json) process.stdout.write(`${JSON.stringify(report.json)}\n`);
