/**
 * Turns the memory benchmark's passes into one report: latency percentiles of pup's recall
 * queries, recall@k of the indexed answers against the exact ones, and the `hnsw.ef_search`
 * sweep, each row with the exact pass as its baseline; plus verdicts against issue 5's targets.
 */
import type { BenchMetric, BenchReport } from "../report";
import { percentile } from "../stats";
import { CHANNELS, USERS } from "./corpus";
import type { LoadOutcome, VectorIndexOutcome } from "./load";
import type { PhaseResult, QueryKind, Timed } from "./phases";
import { RECALL_K } from "./phases";
import { mean, overlap, recallAtK } from "./recall-at-k";

export const TARGETS = { p95Ms: 20, recallAt10: 0.95, speedup: 20 } as const;

export interface MemoryRun {
  messages: number;
  queries: number;
  exactQueries: number;
  dimensions: number;
  defaultEfSearch: number;
  exact: PhaseResult;
  indexed: Record<number, PhaseResult>;
  load: LoadOutcome;
  vectorIndex: VectorIndexOutcome;
  parameters: Record<string, string | number>;
}

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const qps = (timed: Timed | undefined) => 1000 / mean(timed?.times ?? []);

function need(phase: PhaseResult | undefined, kind: QueryKind): Timed {
  const timed = phase?.[kind];
  if (!timed) throw new Error(`memory bench: no ${kind} results`);
  return timed;
}

/** Mean recall@k over the queries that have an exact answer. */
function meanRecall(found: Timed, exact: Timed, k: number): number {
  return mean(exact.distances.map((truth, i) => recallAtK(found.distances[i] ?? [], truth, k)));
}

const row = (
  name: string,
  unit: string,
  better: BenchMetric["better"],
  exact: number,
  indexed: number,
): BenchMetric => ({ name, unit, better, values: { exact, indexed } });

const LATENCY_ROWS: [QueryKind, string][] = [
  ["filtered24", `nearest, visibility filter, k=${RECALL_K} (MessageStore.nearest)`],
  ["plain24", `same query without filters, k=${RECALL_K}`],
  ["search", `full-text search, visibility filter, k=${RECALL_K} (MessageStore.search)`],
  ["lexical", "lexical recall, visibility filter (MessageStore.lexical; no vector index)"],
  ["recall", "whole recall (recallMemories: embed, nearest + lexical, rank, names)"],
];

export function memoryReport(run: MemoryRun): BenchReport {
  const pup = run.indexed[run.defaultEfSearch];
  const metrics: BenchMetric[] = [];
  for (const [kind, label] of LATENCY_ROWS) {
    for (const p of [50, 95, 99]) {
      // A kind a pass skipped (lexical in the exact pass) reads as "-".
      const value = (phase: PhaseResult | undefined) => percentile(phase?.[kind]?.times ?? [], p);
      metrics.push(row(`${label} p${p}`, "ms", "lower", value(run.exact), value(pup)));
    }
  }
  const exactFiltered = need(run.exact, "filtered24");
  const exactPlain = need(run.exact, "plain24");
  const pupLines = need(pup, "recall").lines;
  metrics.push(
    row(
      `nearest recall@${RECALL_K} vs exact (ef_search=${run.defaultEfSearch})`,
      "fraction",
      "higher",
      1,
      meanRecall(need(pup, "filtered24"), exactFiltered, RECALL_K),
    ),
    row(
      "recallMemories lines also in the exact answer",
      "fraction",
      "higher",
      1,
      mean(need(run.exact, "recall").lines.map((l, i) => overlap(pupLines[i] ?? [], l))),
    ),
  );

  const verdicts: Record<string, string> = {};
  for (const [variant, kind, exact] of [
    ["without filters", "plain10", exactPlain],
    ["visibility filter", "filtered10", exactFiltered],
  ] as const) {
    let meeting = "none";
    for (const [ef, phase] of Object.entries(run.indexed)) {
      const found = need(phase, kind);
      const recall = meanRecall(found, exact, 10);
      metrics.push(
        row(`recall@10, ${variant}, ef_search=${ef}`, "fraction", "higher", 1, recall),
        row(`top-10 ${variant}, ef_search=${ef}`, "queries/s", "higher", qps(exact), qps(found)),
        row(
          `top-10 ${variant}, ef_search=${ef} p95`,
          "ms",
          "lower",
          percentile(exact.times, 95),
          percentile(found.times, 95),
        ),
      );
      const fastEnough = qps(found) >= TARGETS.speedup * qps(exact);
      if (meeting === "none" && recall >= TARGETS.recallAt10 && fastEnough) meeting = ef;
    }
    verdicts[`smallestEfSearchMeetingTarget(${variant})`] = meeting;
  }
  for (const [kind, name] of [
    ["filtered24", "nearest"],
    ["search", "search"],
    ["lexical", "lexical"],
    ["recall", "recallMemories"],
  ] as const) {
    verdicts[`${name}P95MeetsTarget`] =
      percentile(need(pup, kind).times, 95) <= TARGETS.p95Ms ? "yes" : "no";
  }

  const count = (visibility: string) => CHANNELS.filter((c) => c.visibility === visibility).length;
  return {
    suite: "memory: recall at scale, pup's indexes vs exact search",
    baseline: "exact",
    systems: ["exact", "indexed"],
    parameters: {
      messages: run.messages,
      queries: run.queries,
      exactQueries: run.exactQueries,
      dimensions: run.dimensions,
      embedder: "offline",
      channels:
        `${count("public_channel")} public, ${count("private_channel")} private, ` +
        `${count("dm")} DMs, ${count("group_dm")} group DMs`,
      users: USERS.length,
      copySeconds: round(run.load.copySeconds, 1),
      embedSeconds: round(run.load.embedSeconds, 1),
      hnswBuildSeconds: round(run.vectorIndex.seconds, 1),
      otherIndexSeconds: round(run.load.otherIndexSeconds, 1),
      tableMB: round(run.load.tableMegabytes, 0),
      hnswMB: round(run.vectorIndex.megabytes, 0),
      defaultEfSearch: run.defaultEfSearch,
      targets:
        `p95 <= ${TARGETS.p95Ms} ms; ` +
        `recall@10 >= ${TARGETS.recallAt10} at >= ${TARGETS.speedup}x exact queries/s`,
      ...verdicts,
      ...run.parameters,
    },
    metrics,
  };
}
