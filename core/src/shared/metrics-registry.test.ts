// The Prometheus registry's text output: help and type lines, escaped labels, cumulative
// histogram buckets, and the mistakes it refuses.
import { describe, expect, test } from "bun:test";
import { MetricsRegistry } from "./metrics-registry";

describe("metrics registry", () => {
  test("counters and gauges render with help, type and escaped labels", () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter("jobs_total", "Jobs run.", ["queue"]);
    const gauge = registry.gauge("temperature", "Degrees.");
    counter.inc({ queue: "message" });
    counter.inc({ queue: "message" }, 2);
    counter.inc({ queue: 'we"ird\\name\n' });
    gauge.set({}, -1.5);
    expect(registry.render()).toBe(
      [
        "# HELP jobs_total Jobs run.",
        "# TYPE jobs_total counter",
        'jobs_total{queue="message"} 3',
        'jobs_total{queue="we\\"ird\\\\name\\n"} 1',
        "# HELP temperature Degrees.",
        "# TYPE temperature gauge",
        "temperature -1.5",
        "",
      ].join("\n"),
    );
  });

  test("histograms render cumulative buckets, +Inf, sum and count", () => {
    const registry = new MetricsRegistry();
    const histogram = registry.histogram("latency_seconds", "Latency.", [0.1, 1]);
    histogram.observe({}, 0.05);
    histogram.observe({}, 0.5);
    histogram.observe({}, 3);
    expect(registry.render().split("\n")).toEqual([
      "# HELP latency_seconds Latency.",
      "# TYPE latency_seconds histogram",
      'latency_seconds_bucket{le="0.1"} 1',
      'latency_seconds_bucket{le="1"} 2',
      'latency_seconds_bucket{le="+Inf"} 3',
      "latency_seconds_sum 3.55",
      "latency_seconds_count 3",
      "",
    ]);
  });

  test("mistakes are refused: unknown labels, duplicates, decreasing counters, bad buckets", () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter("a_total", "A.", ["x"]);
    expect(() => counter.inc({ y: "1" })).toThrow('metric a_total has no label "y"');
    expect(() => counter.inc({}, -1)).toThrow("cannot decrease");
    expect(() => registry.counter("a_total", "again")).toThrow("already registered");
    expect(() => registry.histogram("h", "H.", [1, 1])).toThrow("buckets must increase");
    expect(() => registry.gauge("bad-name", "B.")).toThrow('invalid metric name "bad-name"');
  });
});
