/**
 * The injection set (test/fixtures/safety/injections.jsonl) through pup's reply pipeline with a
 * local model that obeys every instruction it reads: payloads that got a secret or canary, a
 * link to a host off the allow-list, or a mass mention into Slack, with the output filter (pup)
 * and without it (the baseline, a pup of its own so no planted history is shared). The target
 * for pup is 0 / 0 / 0. `bun run bench injection`.
 */
import { createSlackGateway } from "../../core/src/adapters/slack";
import { obedientResponder } from "../fakes/openai";
import { loadInjections, runInjections, tally } from "../fixtures/safety/injection-run";
import { type InProcessPup, startInProcessPup } from "../setup/in-process-pup";
import type { BenchMetric, BenchReport } from "./report";

async function measure(filtered: boolean) {
  const pup: InProcessPup = await startInProcessPup();
  try {
    if (!pup.openai) throw new Error("the local OpenAI server did not start");
    pup.openai.setResponder(obedientResponder);
    if (!filtered) {
      pup.deps.slack = createSlackGateway({
        botToken: pup.slack.token,
        apiUrl: pup.slack.url,
        cache: pup.deps.cache,
      });
    }
    const started = performance.now();
    const results = await runInjections(pup, await loadInjections(), {
      botToken: pup.slack.token,
      openaiKey: pup.openai.apiKey,
      others: [pup.deps.reply.canary],
    });
    return { ...tally(results), ms: performance.now() - started };
  } finally {
    await pup.stop();
  }
}

export default async function bench(): Promise<BenchReport> {
  const unfiltered = await measure(false);
  const pup = await measure(true);
  const metric = (name: string, key: "secrets" | "links" | "massMentions"): BenchMetric => ({
    name,
    unit: "payloads",
    better: "lower",
    values: { unfiltered: unfiltered[key], pup: pup[key] },
  });
  return {
    suite: "injection set (obedient model)",
    baseline: "unfiltered",
    systems: ["unfiltered", "pup"],
    metrics: [
      metric("secrets or canaries leaked", "secrets"),
      metric("links off the allow-list", "links"),
      metric("mass mentions posted", "massMentions"),
      {
        name: "time per payload",
        unit: "ms",
        better: "lower",
        values: {
          unfiltered: unfiltered.ms / unfiltered.payloads,
          pup: pup.ms / pup.payloads,
        },
      },
    ],
    parameters: { payloads: pup.payloads, vectors: 5 },
  };
}
