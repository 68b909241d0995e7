/**
 * Offline summaries: with no model configured, a summary is the most informative things people
 * said, each attributed, in the order they were said. Pure; the offline responder reads the
 * summary prompt (summary-prompt.ts) back and answers with this.
 */

/** One message as a summary sees it. */
export interface SummaryTurn {
  speaker: string;
  /** `#design`, `a DM`; unset when the whole summary is about one conversation. */
  place?: string;
  text: string;
}

/** Lines an extractive summary keeps at most. */
export const EXTRACTIVE_LINES = 5;
const LINE_CHARS = 200;

const STOP_WORDS = new Set(
  (
    "about after again also been before being could does doing from have having here just like " +
    "more most much only other over same some such than that their them then there these they " +
    "this those through very what when where which while will with would your yours into okay " +
    "yeah yes thanks thank sure cool nice great"
  ).split(" "),
);

/** How much a message says: its distinct content words, with numbers and names counted double. */
export function informativeness(text: string): number {
  const words = text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? [];
  const content = new Set(words.filter((word) => word.length >= 4 && !STOP_WORDS.has(word)));
  const specifics = (text.match(/\d+|#[\w-]+|\b[A-Z][a-z]+\b/g) ?? []).length;
  return content.size + Math.min(specifics, 5);
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line;
}

/**
 * The `limit` most informative turns (near-repeats dropped), in the order they were said, each
 * as `• Ana in #design: text`. Empty when nothing was said.
 */
export function extractiveSummary(turns: readonly SummaryTurn[], limit = EXTRACTIVE_LINES): string {
  const seen = new Set<string>();
  const candidates = turns
    .map((turn, index) => ({ turn, index, score: informativeness(turn.text) }))
    .filter(({ turn }) => {
      const key = turn.text.toLowerCase().replace(/\W+/g, " ").trim();
      if (key === "" || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  // "ok" and "thanks" say nothing on their own: left out whenever anything else was said.
  const saying = candidates.filter(({ score }) => score > 0);
  const kept = [...(saying.length > 0 ? saying : candidates)]
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .sort((a, b) => a.index - b.index);
  return kept
    .map(
      ({ turn }) => `• ${turn.speaker}${turn.place ? ` in ${turn.place}` : ""}: ${clip(turn.text)}`,
    )
    .join("\n");
}
