/**
 * A small Prometheus registry (counters, gauges, histograms with fixed buckets) rendered in the
 * text exposition format 0.0.4, core's metrics, and the `GET /metrics` route. Hand-written: pup
 * needs four metric types' worth of code, not a dependency.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { type JobQueue, QUEUE_NAMES, type QueueDepth } from "../../ports/job-queue";

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

/** Acceptance must stay far below the edge's 700 ms deadline; buckets resolve the low end. */
export const ACCEPTANCE_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

/** How a forwarded payload ended: `accepted` (202), `duplicate` (200), or why it was refused. */
export type AcceptanceResult = "accepted" | "duplicate" | "invalid" | "unavailable";

/** Core's metrics. */
export interface CoreMetrics {
  registry: MetricsRegistry;
  /** `pup_http_requests_total{method,route,status}` */
  httpRequests: Counter;
  /** `pup_events_accepted_total{result}` per forwarded payload. */
  eventsAccepted: Counter;
  /** `pup_acceptance_seconds`: one forwarded request, from first byte read to answer. */
  acceptanceSeconds: Histogram;
  /** `pup_queue_depth{queue,state}`, refreshed on every scrape. */
  queueDepth: Gauge;
  /** `pup_working_memory_lookups_total{result}`: hit, stale, miss or unavailable (ADR-015). */
  workingMemoryLookups: Counter;
  /** `pup_mood_transitions_total{from,to}`: stored changes of mood (ADR-020). */
  moodTransitions: Counter;
}

/** Creates core's metrics in a fresh registry (one per process, or per test). */
export function createCoreMetrics(): CoreMetrics {
  const registry = new MetricsRegistry();
  return {
    registry,
    httpRequests: registry.counter("pup_http_requests_total", "HTTP requests served by core.", [
      "method",
      "route",
      "status",
    ]),
    eventsAccepted: registry.counter(
      "pup_events_accepted_total",
      "Forwarded Slack payloads by outcome (accepted, duplicate, invalid, unavailable).",
      ["result"],
    ),
    acceptanceSeconds: registry.histogram(
      "pup_acceptance_seconds",
      "Time to accept one POST /internal/slack request.",
      ACCEPTANCE_BUCKETS_SECONDS,
    ),
    queueDepth: registry.gauge("pup_queue_depth", "Jobs per queue and state.", ["queue", "state"]),
    workingMemoryLookups: registry.counter(
      "pup_working_memory_lookups_total",
      "Live-conversation reads by working memory's outcome (hit, stale, miss, unavailable).",
      ["result"],
    ),
    moodTransitions: registry.counter(
      "pup_mood_transitions_total",
      "Stored changes of pup's mood, by the mood left and the mood entered.",
      ["from", "to"],
    ),
  };
}

/** Counts every request into `pup_http_requests_total` by matched route (bounded cardinality). */
export function httpMetricsMiddleware(metrics: CoreMetrics): MiddlewareHandler {
  return async (c, next) => {
    await next();
    metrics.httpRequests.inc({
      method: c.req.method,
      route: routePath(c) || "unmatched",
      status: String(c.res.status),
    });
  };
}

export interface MetricsRouteDependencies {
  metrics: CoreMetrics;
  /** When given, queue depth gauges are refreshed on each scrape. */
  queue?: JobQueue;
  /** Longest a scrape waits for queue depths; default 1 s (stale values are kept then). */
  depthTimeoutMs?: number;
}

/** `GET /metrics` as a Hono sub-app; mount it with `app.route("/", metricsRoute(deps))`. */
export function metricsRoute(deps: MetricsRouteDependencies): Hono {
  const app = new Hono();
  app.get("/metrics", async (c) => {
    if (deps.queue) await refreshQueueDepths(deps.metrics, deps.queue, deps.depthTimeoutMs ?? 1000);
    return c.body(deps.metrics.registry.render(), 200, {
      "content-type": PROMETHEUS_CONTENT_TYPE,
    });
  });
  return app;
}

/** Reads every queue's depth into the gauge; a queue that does not answer in time keeps its last values. */
export async function refreshQueueDepths(
  metrics: CoreMetrics,
  queue: JobQueue,
  timeoutMs: number,
): Promise<void> {
  await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const depth = await Promise.race([
        queue.depth(name).catch(() => undefined),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!depth) return;
      for (const state of Object.keys(depth) as (keyof QueueDepth)[]) {
        metrics.queueDepth.set({ queue: name, state }, depth[state]);
      }
    }),
  );
}
