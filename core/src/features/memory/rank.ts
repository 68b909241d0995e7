/**
 * Recall's ranking, pure: BM25 over windows of turns (a message with the two turns either side,
 * because an answer often sits in the reply to the turn that names the topic), smoothed across
 * neighbouring windows, fused with vector similarity, nudged by recency and towards the people
 * the query names, with near-duplicates removed. The weights were tuned on the LoCoMo development split (`bun run eval:memory`).
 */
import type { LexicalMessage, LexicalRecall, StoredMessage } from "../../ports/message-store";

export interface RankWeights {
  /** BM25 term saturation and length normalisation. */
  k1: number;
  b: number;
  /** How much a neighbouring turn's words count in a message's window (its own count 1). */
  neighbourWords: number;
  /** The same for the turns two away. */
  farWords: number;
  /** How much of each neighbouring window's score a message inherits. */
  smoothing: number;
  /** Weight of cosine similarity (0..1) beside the lexical score (scaled to 0..1). */
  vector: number;
  /** Extra weight for a message posted just now, halving every `recencyHalfLifeDays`. */
  recency: number;
  recencyHalfLifeDays: number;
  /** Word-set overlap (Jaccard) above which a lower-ranked message counts as a duplicate. */
  duplicateOverlap: number;
  /** Extra weight for a message whose author the query names ("what did Alice …"). */
  namedAuthor: number;
}

export const DEFAULT_RANK_WEIGHTS: RankWeights = {
  k1: 1.2,
  b: 0.3,
  neighbourWords: 0.75,
  farWords: 0.25,
  smoothing: 0.4,
  vector: 0.25,
  recency: 0.05,
  recencyHalfLifeDays: 30,
  duplicateOverlap: 0.9,
  namedAuthor: 0.5,
};

export interface VectorHit {
  message: StoredMessage;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

export interface RankedMemory {
  message: StoredMessage;
  score: number;
  /** The turns just before and after it, oldest first (may be empty). */
  before: StoredMessage[];
  after: StoredMessage[];
}

export interface RankInput {
  lexical: LexicalRecall;
  vector: VectorHit[];
  /** Unix ms. */
  now: number;
  limit: number;
  /** Leaves a message out of the results (it can still lend its words to its neighbours). */
  exclude?: (message: StoredMessage) => boolean;
  /** User ids the query names (recall.ts, namedAuthors): their own messages rank higher. */
  namedAuthors?: ReadonlySet<string>;
  weights?: Partial<RankWeights>;
}

/** Lowercased words, for duplicate detection. */
function wordSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export function rankMemories(input: RankInput): RankedMemory[] {
  const w = { ...DEFAULT_RANK_WEIGHTS, ...input.weights };
  const { lexical } = input;
  const byId = new Map(lexical.messages.map((m) => [m.message.id, m]));
  const n = Math.max(1, lexical.docs);
  const idf = new Map(
    Object.entries(lexical.lexemes).map(([lexeme, docs]) => [
      lexeme,
      Math.log(1 + (n - docs + 0.5) / (docs + 0.5)),
    ]),
  );
  // A window is three turns, so its average length is three messages'.
  const averageWindow = ((1 + 2 * w.neighbourWords + 2 * w.farWords) * lexical.tokens) / n || 1;

  const windowScore = new Map<number, number>();
  for (const entry of lexical.messages) {
    const previous = byId.get(entry.previousId ?? -1);
    const next = byId.get(entry.nextId ?? -1);
    const members: [LexicalMessage | undefined, number][] = [
      [entry, 1],
      [previous, w.neighbourWords],
      [next, w.neighbourWords],
      [byId.get(previous?.previousId ?? -1), w.farWords],
      [byId.get(next?.nextId ?? -1), w.farWords],
    ];
    let length = 0;
    const tf = new Map<string, number>();
    for (const [member, weight] of members) {
      if (!member || weight === 0) continue;
      length += weight * member.length;
      for (const [lexeme, count] of Object.entries(member.terms)) {
        if (idf.has(lexeme)) tf.set(lexeme, (tf.get(lexeme) ?? 0) + weight * count);
      }
    }
    const norm = w.k1 * (1 - w.b + (w.b * length) / averageWindow);
    let score = 0;
    for (const [lexeme, count] of tf) {
      score += ((idf.get(lexeme) ?? 0) * count * (w.k1 + 1)) / (count + norm);
    }
    windowScore.set(entry.message.id, score);
  }

  // Each message's own evidence: its window's words (scaled to the best window) and its closeness
  // to the query; then it inherits a share of its neighbours' evidence.
  let bestWindow = 0;
  for (const score of windowScore.values()) bestWindow = Math.max(bestWindow, score);
  const similarity = new Map<number, number>();
  for (const hit of input.vector) similarity.set(hit.message.id, hit.similarity);
  const own = (id: number | null) => {
    if (id === null) return 0;
    const entry = byId.get(id);
    const sim = similarity.get(id) ?? entry?.similarity ?? 0;
    const lexicalScore = bestWindow > 0 ? (windowScore.get(id) ?? 0) / bestWindow : 0;
    return lexicalScore + w.vector * Math.max(0, sim);
  };
  const scores = new Map<number, { message: StoredMessage; score: number }>();
  for (const entry of lexical.messages) {
    const id = entry.message.id;
    scores.set(id, {
      message: entry.message,
      score: own(id) + w.smoothing * (own(entry.previousId) + own(entry.nextId)),
    });
  }
  for (const hit of input.vector) {
    if (!scores.has(hit.message.id)) {
      scores.set(hit.message.id, { message: hit.message, score: own(hit.message.id) });
    }
  }

  const dayMs = 86_400_000;
  const ranked = [...scores.values()]
    .filter((entry) => !input.exclude?.(entry.message))
    .map((entry) => {
      const ageDays = Math.max(0, (input.now - entry.message.postedAt.getTime()) / dayMs);
      const fresh = w.recency * 0.5 ** (ageDays / w.recencyHalfLifeDays);
      // A question about a person is mostly answered by that person's own words; their name in
      // the text is too common in their team to weigh much in BM25.
      const named = entry.message.userId && input.namedAuthors?.has(entry.message.userId);
      return {
        message: entry.message,
        score: entry.score + fresh + (named ? w.namedAuthor : 0),
      };
    })
    .sort((a, b) => b.score - a.score || b.message.id - a.message.id);

  const kept: { message: StoredMessage; score: number; words: Set<string> }[] = [];
  for (const candidate of ranked) {
    if (kept.length >= input.limit) break;
    const words = wordSet(candidate.message.text);
    if (kept.some((other) => overlap(words, other.words) >= w.duplicateOverlap)) continue;
    kept.push({ ...candidate, words });
  }
  return kept.map(({ message, score }) => {
    const entry = byId.get(message.id);
    const previous = byId.get(entry?.previousId ?? -1)?.message;
    const next = byId.get(entry?.nextId ?? -1)?.message;
    return { message, score, before: previous ? [previous] : [], after: next ? [next] : [] };
  });
}
