/**
 * A small Prometheus registry (counters, gauges, histograms with fixed buckets) rendered in the
 * text exposition format 0.0.4. Hand-written: pup needs four metric types' worth of code, not a
 * dependency. Which metrics pup keeps is core/src/features/observability/metrics.ts.
 */

type Labels = Record<string, string>;

/** Prometheus label values escape backslash, double quote and newline. */
function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
  }

  abstract readonly type: "counter" | "gauge" | "histogram";

  /** Canonical key of one label set; refuses labels the metric does not declare. */
  protected key(labels: Labels): string {
    const names = Object.keys(labels);
    for (const name of names) {
      if (!this.labelNames.includes(name)) {
        throw new Error(`metric ${this.name} has no label "${name}"`);
      }
    }
    return JSON.stringify(this.labelNames.map((name) => labels[name] ?? ""));
  }

  protected labelsOf(key: string): Labels {
    const values = JSON.parse(key) as string[];
    const labels: Labels = {};
    this.labelNames.forEach((name, i) => {
      labels[name] = values[i] ?? "";
    });
    return labels;
  }

  protected header(): string[] {
    return [
      `# HELP ${this.name} ${this.help.replaceAll("\n", " ")}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
  }

  abstract render(): string[];
}

/** A value that only goes up. */
export class Counter extends Metric {
  readonly type = "counter";
  private readonly values = new Map<string, number>();

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease`);
    const key = this.key(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  /** The current value for one label set (0 when never incremented). */
  get(labels: Labels = {}): number {
    return this.values.get(this.key(labels)) ?? 0;
  }

  render(): string[] {
    const lines = this.header();
    for (const [key, value] of this.values) {
      lines.push(`${this.name}${formatLabels(this.labelsOf(key))} ${formatValue(value)}`);
    }
    return lines;
  }
}

/** A value that goes up and down. */
export class Gauge extends Metric {
  readonly type = "gauge";
  private readonly values = new Map<string, number>();

  set(labels: Labels, value: number): void {
    this.values.set(this.key(labels), value);
  }

  get(labels: Labels = {}): number | undefined {
    return this.values.get(this.key(labels));
  }

  render(): string[] {
    const lines = this.header();
    for (const [key, value] of this.values) {
      lines.push(`${this.name}${formatLabels(this.labelsOf(key))} ${formatValue(value)}`);
    }
    return lines;
  }
}

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into fixed, cumulative buckets (upper bounds, `le`). */
export class Histogram extends Metric {
  readonly type = "histogram";
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
    if (labelNames.includes("le")) throw new Error(`histogram ${name} cannot have a label "le"`);
    for (let i = 1; i < buckets.length; i++) {
      if ((buckets[i] ?? 0) <= (buckets[i - 1] ?? 0)) {
        throw new Error(`histogram ${name}: buckets must increase`);
      }
    }
  }

  observe(labels: Labels, value: number): void {
    const key = this.key(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    // Counts are stored per bucket and made cumulative when rendered.
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** Observations so far for one label set. */
  count(labels: Labels = {}): number {
    return this.series.get(this.key(labels))?.count ?? 0;
  }

  render(): string[] {
    const lines = this.header();
    for (const [key, series] of this.series) {
      const labels = this.labelsOf(key);
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] ?? 0;
        lines.push(
          `${this.name}_bucket${formatLabels({ ...labels, le: formatValue(bound) })} ${cumulative}`,
        );
      });
      lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: "+Inf" })} ${series.count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${formatValue(series.sum)}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${series.count}`);
    }
    return lines;
  }
}

/** Holds metrics by name and renders them all. */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.register(new Gauge(name, help, labelNames));
  }

  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    return this.register(new Histogram(name, help, labelNames, buckets));
  }

  /** The Prometheus text exposition of every metric. */
  render(): string {
    return `${[...this.metrics.values()].flatMap((metric) => metric.render()).join("\n")}\n`;
  }

  private register<T extends Metric>(metric: T): T {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} already registered`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

/** The content type Prometheus expects for the text format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
