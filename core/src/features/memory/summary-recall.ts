/**
 * Stored conversation summaries offered to recall ("what happened in #design yesterday?"): the
 * summaries relevant to the query that the asker may see from here (derived memory applies the
 * recall rule: a private conversation's summary only there, a public channel's anywhere except
 * to guests who are not members), as memory lines attributed to pup's daily summary with a link
 * to the first message each drew on. Its sources travel with it, so the memory evaluation can
 * count a summary line by the messages it stands for.
 */
import type { RecalledSummary } from "../../ports/derived-memory";
import type { RecallDeps } from "./deps";
import type { MemoryLineInput } from "./memory-line";

/** Summary lines a prompt gets at most: each stands for a day of a conversation. */
export const SUMMARY_LINES = 2;
/** How a summary line names its speaker. */
export const SUMMARY_SPEAKER = "pup's daily summary";

/** A recalled summary as a memory line, with the messages it drew on. */
export type SummaryMemoryLine = MemoryLineInput & { sources: RecalledSummary["sources"] };

export async function recallSummaryLines(
  deps: Pick<RecallDeps, "derived" | "slack" | "logger">,
  request: { teamId: string; channelId: string; query: string; memberOf?: readonly string[] },
  limit = SUMMARY_LINES,
): Promise<SummaryMemoryLine[]> {
  if (!deps.derived || request.query.trim() === "") return [];
  const scope = {
    teamId: request.teamId,
    fromChannelId: request.channelId,
    ...(request.memberOf ? { memberOf: request.memberOf } : {}),
  };
  let found: RecalledSummary[];
  try {
    found = await deps.derived.recallSummaries(scope, request.query, limit);
  } catch (error) {
    // Summaries add to recall; the messages alone still answer.
    deps.logger.warn({ err: error }, "summary recall failed; recalling messages only");
    return [];
  }
  return found.map((summary) => {
    const first = summary.sources[0];
    return {
      speaker: SUMMARY_SPEAKER,
      channelName: summary.channelName,
      postedAt: summary.periodEnd,
      text: summary.summary,
      ...(first
        ? { permalink: deps.slack.permalink(request.teamId, first.channelId, first.ts) }
        : {}),
      sources: summary.sources,
    };
  });
}
