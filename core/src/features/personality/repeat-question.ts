/**
 * Repeated-question detection: does a new question ask the same thing as one asked earlier?
 * Pure and synchronous: the caller hands in the texts and, when it has them, their embeddings,
 * and decides which earlier questions are eligible (same user, within the mood window).
 * See docs/adr/018-repeated-questions.md for the rule and how its thresholds were measured.
 * Reading a question is question-shape.ts; measuring two against each other is
 * question-similarity.ts.
 */
import { questionShape } from "./question-shape";
import { cosineSimilarity, wordOverlap } from "./question-similarity";

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
