/**
 * The sentiment of one incoming Slack message, for pup's mood: positive, negative or neutral,
 * and whether it thanks or praises someone. Words are scored by the `sentiment` package's
 * AFINN-165 list (ADR-017); pup adds what a team chat needs on top: Slack markup removed, emoji
 * shortcodes and emoticons scored, chat slang, a few phrases, negation within a clause, and
 * thanks detection. Pure and synchronous: no I/O, the same text always gives the same answer.
 */
import SentimentAnalyzer from "sentiment";
import english from "sentiment/languages/en/index.js";
import { LIKE_SUBJECTS, NEGATORS, PHRASES, WORD_SCORES } from "./sentiment-lexicon";
import { emojiName, emojiScore, extractEmoji, stripSlackMarkup } from "./sentiment-slack";

export type SentimentLabel = "positive" | "negative" | "neutral";

export interface Sentiment {
  label: SentimentLabel;
  /**
   * AFINN's comparative score: the summed word, emoji and emoticon scores divided by the number
   * of words and emoji, so roughly -5..5 and near 0 for long or plain messages.
   */
  score: number;
  /** The message thanks or praises someone ("thanks!", "ty", "good boy", :pray:). */
  thanks: boolean;
}

/**
 * Only the first 10,000 characters are read (Slack allows 40,000): past that a message is a
 * pasted log or document, whose tone is not the sender's, and the cap keeps the cost bounded.
 */
const MAX_CHARS = 10_000;
/** A summed score this far from zero is needed for a label: one weak word ("sorry") is not a mood. */
const THRESHOLD = 2;
/** Marks the end of a clause so negation does not reach across it ("not bad, great"). */
const BOUNDARY = "|";
const LANGUAGE = "pup-slack";

const analyzer = new SentimentAnalyzer();
// Registered under its own code, so the library's shared English table is never modified
// (its `extras` option would merge pup's words into that table for every user in the process).
analyzer.registerLanguage(LANGUAGE, {
  labels: { ...english.labels, ...WORD_SCORES },
  scoringStrategy: { apply: scoreInContext },
});

/** Negation reaches two words back within a clause; "like" counts only as a verb of liking. */
function scoreInContext(tokens: string[], cursor: number, score: number): number {
  if (tokens[cursor] === "like" && !LIKE_SUBJECTS.has(tokens[cursor - 1] ?? "")) return 0;
  for (let back = 1; back <= 2; back++) {
    const token = tokens[cursor - back];
    if (token === undefined || token === BOUNDARY) break;
    if (NEGATORS.has(token)) return -score;
  }
  return score;
}

const THANKS = new RegExp(
  [
    "\\bthank(?:s|\\s+(?:you|u|ya|yo))",
    "\\b(?:thx|thnx|thanx|tks|ty|tysm|tyvm|cheers|kudos|props to|shout ?outs?|lifesaver)\\b",
    "\\b(?:much|greatly|really) appreciated\\b|\\bappreciate (?:it|that|this|you|your|the|all)\\b",
    "\\bcongrat(?:s|ulations)\\b|\\bwell done\\b|\\byou rock\\b",
    "\\b(?:nice|great|good|awesome|amazing) (?:one|job|work|catch|call|stuff)\\b",
    "\\bgood (?:boy|bot|dog|pup|puppy|doggo)\\b",
    "\\byou(?:'re| are) (?:the best|a star|awesome|amazing|a legend|a lifesaver|great|brilliant)",
  ].join("|"),
);
/** Refusals and sarcasm that contain a thanks word but thank nobody. */
const NOT_THANKS = /\bno,? thanks?(?: you)?\b|\bthanks for nothing\b|\bthanks,? but no\b/g;
const THANKS_EMOJI: ReadonlySet<string> = new Set(["pray", "bow", "clap"]);

function detectThanks(words: string, emojiNames: readonly string[]): boolean {
  if (emojiNames.some((name) => THANKS_EMOJI.has(name))) return true;
  return THANKS.test(words.replace(NOT_THANKS, " "));
}

/**
 * Lower case, straight apostrophes, phrases joined, a boundary token at each clause end, and
 * Unicode emoji set apart (the library splits on spaces only, so "🎉🎉" or "great!🎉" would be
 * one unknown token) without the variation selector its emoji table does not include.
 */
function prepareWords(text: string): string {
  let words = text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  for (const [pattern, token] of PHRASES) words = words.replace(pattern, token);
  return words
    .replace(/\uFE0F/g, "")
    .replace(/\p{Extended_Pictographic}/gu, " $& ")
    .replace(/[.,;!?\n]+(?=\s|$)/g, ` ${BOUNDARY} `);
}

export function analyzeSentiment(text: string): Sentiment {
  const plain = stripSlackMarkup(text.slice(0, MAX_CHARS));
  const emoji = extractEmoji(plain);
  const lower = emoji.text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  const thanks = detectThanks(lower, emoji.names);
  const result = analyzer.analyze(prepareWords(emoji.text), { language: LANGUAGE });
  const total = result.score + emoji.score;
  const words = result.tokens.filter((token) => token !== "" && token !== BOUNDARY).length;
  const score = total / Math.max(1, words + emoji.count);
  // Thanks decides the label unless the rest of the message outweighs it ("thanks, but this is
  // terrible"); the thanking words carry their own positive scores in the lexicon.
  let label: SentimentLabel = "neutral";
  if (thanks ? total >= 0 : total >= THRESHOLD) label = "positive";
  else if (total <= (thanks ? -1 : -THRESHOLD)) label = "negative";
  return { label, score, thanks };
}

/** The sentiment of a reaction emoji ("+1", "heart", "thumbsdown::skin-tone-2"). */
export function reactionSentiment(emoji: string): SentimentLabel {
  const score = emojiScore(emojiName(emoji));
  if (score > 0) return "positive";
  if (score < 0) return "negative";
  return "neutral";
}
