/**
 * The shape every benchmark returns, and how the runner prints and stores it.
 *
 * A benchmark compares systems side by side (for example real PostgreSQL and PGlite) in one run,
 * so numbers are reported as ratios against a baseline measured beside them, never against a
 * figure from another day or machine.
 */

/** One measured quantity, with a value for every system in the suite. */
export interface BenchMetric {
  name: string;
  unit: string;
  /** Whether a larger number is better (throughput) or worse (latency, memory). */
  better: "higher" | "lower";
  values: Record<string, number>;
}

/** What a `*.bench.ts` module's default export resolves to. */
export interface BenchReport {
  suite: string;
  /** The system every ratio is computed against; must be a key of every metric's values. */
  baseline: string;
  systems: string[];
  metrics: BenchMetric[];
  /** Free-form facts about the run: row counts, dimensions, versions. */
  parameters: Record<string, string | number>;
}

/** A benchmark module: builds its fixtures, measures, cleans up. */
export type Benchmark = () => Promise<BenchReport>;

/** value / baseline, or NaN when the baseline is zero or missing. */
export function ratio(metric: BenchMetric, baseline: string, system: string): number {
  const base = metric.values[baseline];
  const value = metric.values[system];
  if (base === undefined || value === undefined || base === 0) return Number.NaN;
  return value / base;
}

function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Renders one suite as an aligned text table: one row per metric, a value and ratio per system. */
export function formatReport(report: BenchReport): string {
  const header = ["metric", "unit", ...report.systems.map((s) => `${s}`)];
  const others = report.systems.filter((s) => s !== report.baseline);
  for (const system of others) header.push(`${system}/${report.baseline}`);
  const rows = report.metrics.map((metric) => [
    metric.name,
    `${metric.unit} (${metric.better} is better)`,
    ...report.systems.map((s) => formatNumber(metric.values[s])),
    ...others.map((s) => `${formatNumber(ratio(metric, report.baseline, s))}x`),
  ]);
  const widths = header.map((_, i) =>
    Math.max(...[header, ...rows].map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  const params = Object.entries(report.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return [
    `## ${report.suite}  (baseline: ${report.baseline}; ${params})`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n");
}
