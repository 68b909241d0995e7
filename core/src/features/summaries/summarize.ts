/**
 * One summary: the messages a scope may see over a period, named and quoted into the summary
 * prompt, and the model's words with the messages they drew on. The daily job, `/pup summary`
 * and the assistant's "catch me up" all come through here.
 */
import type { SummaryScope, SummarySourceMessage } from "../../ports/derived-memory";
import { speakerNames } from "../memory";
import type { SummariesDeps } from "./deps";
import { buildSummaryPrompt } from "./summary-prompt";

/** Messages one summary reads at most (the newest; about 8k tokens of prompt at 60 words each). */
export const SUMMARY_SOURCE_LIMIT = 300;
/** The model's answer is bounded: a summary is a few bullets. */
const SUMMARY_MAX_TOKENS = 500;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface WrittenSummary {
  text: string;
  sources: SummarySourceMessage[];
  sourceUserIds: string[];
  model: string;
}

/**
 * The summary of what `scope` may see in `[since, until)`, or undefined when nobody said
 * anything there. `period` reads in the prompt ("in the last 24 hours").
 */
export async function writeSummary(
  deps: Pick<SummariesDeps, "derived" | "model" | "directory">,
  scope: SummaryScope,
  since: Date,
  until: Date,
  period: string,
): Promise<WrittenSummary | undefined> {
  const sources = await deps.derived.summarySources(scope, since, until, SUMMARY_SOURCE_LIMIT);
  if (sources.length === 0) return undefined;
  const userIds = [...new Set(sources.map((m) => m.userId).filter((id): id is string => !!id))];
  const names = await speakerNames(deps, scope.teamId, userIds);
  const prompt = buildSummaryPrompt(
    sources.map((m) => ({
      speaker: m.userId ? (names.get(m.userId) ?? m.userId) : "someone",
      channelName: m.channelName,
      postedAt: m.postedAt,
      text: m.text,
    })),
    period,
  );
  const result = await deps.model
    .stream({ messages: prompt, maxTokens: SUMMARY_MAX_TOKENS, temperature: 0.2 })
    .result();
  return { text: result.text.trim(), sources, sourceUserIds: userIds, model: result.model };
}
