/**
 * How pup reads a Slack question: its words (markup resolved, contractions and plurals folded),
 * whether a message asks something at all, and what it asks for (the kind of answer wanted) and
 * about (its content words). Used by repeated-question detection (repeat-question.ts).
 */

// Kept short on purpose: "this", "next" and "new" stay content words ("on call this week" and
// "on call next week" are different questions).
const STOP_WORDS = new Set(
  (
    "a an the and or but of to in on at for from by with about into over as per " +
    "i me my we us our you your they them their it its he him his she her that these those " +
    "is are was were am be been being do does did doing have has had can could should shall " +
    "will would may might must there here any some get " +
    "what which again remind tell know idea anyone anybody someone somebody please pup hey hi " +
    "hello ok okay so just quick question still"
  ).split(" "),
);

// Question words naming the kind of answer wanted. Two questions wanting different kinds
// ("where is X" / "who owns X") are different questions however many words they share.
const KIND_WORDS: Record<string, string> = {
  where: "place",
  who: "person",
  whom: "person",
  whose: "person",
  when: "time",
  why: "reason",
  how: "manner",
};
const HOW_KINDS: Record<string, string> = {
  many: "amount",
  much: "amount",
  long: "duration",
  often: "frequency",
};
const TIME_NOUNS = new Set(["time", "day", "date"]);
const AUXILIARIES = new Set(
  "is are was were am can could do does did should shall will would have has may might".split(" "),
);
/** Words a Slack question may open with before it starts ("hey pup, again: is …"). */
const LEADING_FILLER = new Set(
  "hey hi hello pup again ok okay so um quick question please pls".split(" "),
);
/** "What's" and friends, once the apostrophe is gone; the question word must survive. */
const CONTRACTED: Record<string, string> = {
  whats: "what",
  wheres: "where",
  whens: "when",
  whos: "who",
  hows: "how",
  whys: "why",
  thats: "that",
  theres: "there",
};

/**
 * Lowercased words of a Slack message, its markup resolved: user and special mentions dropped,
 * a channel or link replaced by its label (a bare link is dropped), apostrophes folded.
 */
export function slackWords(text: string): string[] {
  const plain = withoutMarkup(text).toLowerCase().replace(/['’]/g, "");
  const words = plain.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((word) => CONTRACTED[word] ?? word);
}

/** The text with Slack's `<…>` markup resolved to what a reader sees (mentions dropped). */
function withoutMarkup(text: string): string {
  return text
    .replace(/<[@!][^>]*>/g, " ")
    .replace(/<[^>|]*\|([^>]*)>/g, " $1 ")
    .replace(/<[^>]*>/g, " ");
}

const QUESTION_WORDS = new Set("what where when who whom whose how why which".split(" "));
/** After an auxiliary these make a statement: "will do", "would be great", "do not merge". */
const STATEMENT_AFTER_AUXILIARY = new Set("do be not done say".split(" "));
/** Two-word openings that ask without a question word or mark. */
const ASKING_OPENERS = new Set(["remind me", "tell me", "any idea", "anyone know", "anybody know"]);
/** Exclamations that open like questions: "what a day", "how cool". */
const EXCLAIMING_AFTER = new Set("a an cool nice great fun awesome lovely weird".split(" "));

/**
 * Whether a Slack message asks something: it has a question mark, or (after any greeting or
 * "again:") it opens with a question word, an auxiliary ("is", "can", "does" …) or a phrase such
 * as "remind me" or "any idea". Greetings, thanks and statements are not questions.
 */
export function isQuestion(text: string): boolean {
  if (withoutMarkup(text).includes("?")) return true;
  const words = slackWords(text);
  const start = words.findIndex((word) => !LEADING_FILLER.has(word));
  if (start < 0) return false;
  const first = words[start] as string;
  const second = words[start + 1];
  if (second === undefined) return false; // "thanks", "why" on its own is banter, not a lookup
  if (QUESTION_WORDS.has(first)) return !EXCLAIMING_AFTER.has(second);
  if (AUXILIARIES.has(first)) return !STATEMENT_AFTER_AUXILIARY.has(second);
  return ASKING_OPENERS.has(`${first} ${second}`);
}

/** A crude plural fold: "reports" meets "report", "policies" "policy", "passes" "pass". */
export function foldPlural(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(word)) return word;
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

/** What a question asks for and about. */
export interface QuestionShape {
  /**
   * The kind of answer wanted ("place", "person", "time", "reason", "manner", "amount",
   * "duration", "frequency", "yes-no"), or null when the question does not say ("what",
   * "which", "remind me", "can you …").
   */
  kind: string | null;
  /** Folded content words: no stop words, no question words. */
  words: Set<string>;
}

/**
 * Reads a question's shape. The first question word sets the kind, wherever it stands ("can you
 * remind me when …" asks for a time); "what time/day/date" is a time and "how many/much/long/
 * often" are kinds of their own. With no question word, an opening auxiliary ("is", "does",
 * "can") makes a yes-no question, unless "you" follows: "can you share …" and "do you know …"
 * are requests for whatever comes next.
 */
export function questionShape(text: string): QuestionShape {
  const all = slackWords(text);
  let kind: string | null = null;
  const words = new Set<string>();
  for (let i = 0; i < all.length; i += 1) {
    const word = all[i] as string;
    const next = all[i + 1] ?? "";
    const qualified =
      (word === "how" && HOW_KINDS[next]) || (word === "what" && TIME_NOUNS.has(next) && "time");
    if (qualified) {
      kind ??= qualified;
      i += 1; // "many", "time", … belong to the question word
    } else if (KIND_WORDS[word]) {
      kind ??= KIND_WORDS[word] ?? null;
    } else if (!STOP_WORDS.has(word)) {
      words.add(foldPlural(word));
    }
  }
  if (kind === null) {
    const first = all.findIndex((word) => !LEADING_FILLER.has(word));
    if (first >= 0 && AUXILIARIES.has(all[first] as string) && all[first + 1] !== "you") {
      kind = "yes-no";
    }
  }
  return { kind, words };
}
