/**
 * Repeated-question detection: does a new question ask the same thing as one asked earlier?
 * Pure and synchronous: the caller hands in the texts and, when it has them, their embeddings,
 * and decides which earlier questions are eligible (same user, within the mood window).
 * See docs/adr/018-repeated-questions.md for the rule and how its thresholds were measured.
 */

/** A question as the detector sees it: its Slack text and, if known, its embedding. */
export interface QuestionRecord {
  text: string;
  vector: number[] | null;
}

/** Both signals for one pair of questions, and the verdict drawn from them. */
export interface RepeatScore {
  /** Cosine similarity of the embeddings; null when either is missing or they differ in size. */
  cosine: number | null;
  /** Overlap of the two questions' content words, 0..1 (see {@link wordOverlap}). */
  overlap: number;
  repeated: boolean;
}

export interface RepeatSettings {
  /** Embedding cosine a pair needs (with `minOverlap`) when both vectors are present. */
  minCosine: number;
  /** Word overlap a pair needs alongside `minCosine`. */
  minOverlap: number;
  /** Word overlap a pair needs on its own when a vector is missing. */
  minOverlapWithoutVectors: number;
}

/**
 * Measured on test/fixtures/personality/question-pairs.jsonl with the offline embedder at the
 * default 512 dimensions (numbers in the ADR). The overlap coefficient is 1 when one question's
 * content words all appear in the other (a re-ask that adds "again" or "for home") and 3/4 or
 * less when a key word is swapped ("hostname" for "password"), so 0.8 sits between the two.
 * The cosine floor is a second opinion, low enough that a typo ("pasword", cosine 0.54 at 1536
 * offline dimensions) still passes; on the labelled set it changes no verdict, because the
 * offline embedder sees the same words. A real model's cosines differ: re-measure for it.
 */
export const DEFAULT_REPEAT_SETTINGS: Readonly<RepeatSettings> = Object.freeze({
  minCosine: 0.5,
  minOverlap: 0.8,
  minOverlapWithoutVectors: 0.8,
});

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

/**
 * The overlap coefficient |A ∩ B| / min(|A|, |B|) of two content-word sets, where words of five
 * letters or more also match with one typo. Chosen over Jaccard because a re-ask often adds a
 * word ("for home", "on my account") and still asks the same, while a different question on
 * the same topic swaps one ("berlin" for "london"), which this punishes just as hard.
 * Zero when either set is empty: nothing to compare.
 */
export function wordOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) {
    if (large.has(word)) shared += 1;
    else if (word.length >= 5 && [...large].some((other) => withinOneEdit(word, other))) {
      shared += 1;
    }
  }
  return shared / small.size;
}

/** True when `a` becomes `b` by at most one inserted, deleted or replaced letter. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (a.length >= b.length) i += 1;
    if (b.length >= a.length) j += 1;
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Cosine similarity, or null when a vector is missing, empty, all zero or of another size. */
export function cosineSimilarity(
  a: readonly number[] | null,
  b: readonly number[] | null,
): number | null {
  if (!a || !b || a.length === 0 || a.length !== b.length) return null;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return null;
  return dot / Math.sqrt(normA * normB);
}

/**
 * Scores a pair of questions. A repeat needs both to want the same kind of answer (when both
 * say), enough shared content words and, when both have vectors, a close enough embedding;
 * with a vector missing the words decide alone, against their own threshold.
 */
export function compareQuestions(
  a: QuestionRecord,
  b: QuestionRecord,
  settings: RepeatSettings = DEFAULT_REPEAT_SETTINGS,
): RepeatScore {
  const shapeA = questionShape(a.text);
  const shapeB = questionShape(b.text);
  const cosine = cosineSimilarity(a.vector, b.vector);
  const overlap = wordOverlap(shapeA.words, shapeB.words);
  const sameKind = shapeA.kind === null || shapeB.kind === null || shapeA.kind === shapeB.kind;
  const repeated =
    sameKind &&
    (cosine === null
      ? overlap >= settings.minOverlapWithoutVectors
      : cosine >= settings.minCosine && overlap >= settings.minOverlap);
  return { cosine, overlap, repeated };
}

/**
 * The earlier question `question` repeats most closely (highest overlap, then cosine), or null
 * when none counts as a repeat. Which questions are eligible (same user, how far back) is the
 * caller's choice; on a tie the first in `earlier` wins.
 */
export function findRepeat(
  question: QuestionRecord,
  earlier: readonly (QuestionRecord & { id: string })[],
  settings: RepeatSettings = DEFAULT_REPEAT_SETTINGS,
): { id: string; score: RepeatScore } | null {
  let best: { id: string; score: RepeatScore } | null = null;
  for (const candidate of earlier) {
    const score = compareQuestions(question, candidate, settings);
    if (score.repeated && (!best || strength(score) > strength(best.score))) {
      best = { id: candidate.id, score };
    }
  }
  return best;
}

/** Orders repeats: word overlap first, cosine (when known) to break ties. */
function strength(score: RepeatScore): number {
  return score.overlap + (score.cosine ?? 0) / 1000;
}
