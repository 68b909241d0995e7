/** The memory evaluation's human-readable table (scripts/eval-memory/run.ts computes it). */
import { CATEGORIES, type EvalReport, type RecallAtK, SYSTEMS, type SystemScores } from "./run";

const percent = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? "   -  " : value.toFixed(3).padStart(6);

/** The human-readable table: per category and over 1-4, pup beside BM25 and their ratio. */
export function formatReport(report: EvalReport): string {
  const { systems } = report.json;
  const header = `${"".padEnd(22)}${report.ks.map((k) => `R@${k}`.padStart(8)).join("")}`;
  const lines = [
    `memory recall on ${report.conversations} conversations, ${report.turns} turns, ${report.json.questions} questions (categories 1-4)`,
    header,
  ];
  const rows: [string, (s: SystemScores) => RecallAtK | undefined][] = [
    ...CATEGORIES.map(
      (c) =>
        [
          `category ${c} (${report.questionsPerCategory[String(c)] ?? 0})`,
          (s: SystemScores) => s.categories[String(c)],
        ] as [string, (s: SystemScores) => RecallAtK | undefined],
    ),
    ["overall 1-4", (s) => s.overall],
  ];
  const row = (name: string, values: RecallAtK | undefined) =>
    `  ${name.padEnd(20)}${report.ks.map((k) => percent(values?.[String(k)]).padStart(8)).join("")}`;
  const { derived } = report;
  for (const [label, pick] of rows) {
    lines.push(label);
    for (const system of SYSTEMS) lines.push(row(system, pick(systems[system])));
    // Derived items count as recalling their sources (score.ts): shown apart, never as "pup".
    if (derived) lines.push(row(`pup + ${derived.name}`.slice(0, 20), pick(derived.scores)));
    const pup = pick(systems.pup);
    const bm25 = pick(systems.bm25);
    lines.push(
      `  ${"pup / bm25".padEnd(20)}${report.ks
        .map((k) => {
          const ratio = (pup?.[String(k)] ?? Number.NaN) / (bm25?.[String(k)] ?? Number.NaN);
          return (Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : "-").padStart(8);
        })
        .join("")}`,
    );
  }
  if (derived) {
    lines.push(
      `derived items among the first k (mean per question, and the sources they stood for): ${report.ks
        .map((k) => {
          const share = derived.perQuestion[String(k)];
          return `k=${k} ${share?.items.toFixed(2)} items, ${share?.sources.toFixed(2)} sources`;
        })
        .join("; ")}`,
    );
  }
  lines.push(
    `time: ingest ${report.seconds.ingest.toFixed(1)} s, pup recall ${report.seconds.pup.toFixed(1)} s, bm25 ${report.seconds.bm25.toFixed(1)} s`,
  );
  return `${lines.join("\n")}\n`;
}
