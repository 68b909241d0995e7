/**
 * The evaluation's baseline, kept deliberately plain so every project's baseline is the same
 * number: Okapi BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N - n + 0.5) / (n + 0.5))) over single
 * turns, tokens = lowercase runs of [a-z0-9], no stemming, no stop words.
 */
const K1 = 1.2;
const B = 0.75;

export function bm25Tokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

export interface Bm25Index {
  /** Document ids, best first (ties keep document order), at most `k`. */
  search(query: string, k: number): string[];
}

export function buildBm25(documents: { id: string; text: string }[]): Bm25Index {
  const termFrequencies = documents.map((doc) => {
    const counts = new Map<string, number>();
    for (const token of bm25Tokens(doc.text)) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  });
  const lengths = documents.map((doc) => bm25Tokens(doc.text).length);
  const averageLength = lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, documents.length);
  const documentFrequency = new Map<string, number>();
  for (const counts of termFrequencies) {
    for (const term of counts.keys()) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  const total = documents.length;
  const idf = (term: string) => {
    const n = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (total - n + 0.5) / (n + 0.5));
  };
  return {
    search(query, k) {
      const terms = bm25Tokens(query);
      const scored = documents.map((doc, index) => {
        const counts = termFrequencies[index] ?? new Map<string, number>();
        const norm = K1 * (1 - B + (B * (lengths[index] ?? 0)) / (averageLength || 1));
        let score = 0;
        for (const term of terms) {
          const tf = counts.get(term) ?? 0;
          if (tf > 0) score += (idf(term) * tf * (K1 + 1)) / (tf + norm);
        }
        return { id: doc.id, score, index };
      });
      scored.sort((a, b) => b.score - a.score || a.index - b.index);
      return scored.slice(0, k).map((entry) => entry.id);
    },
  };
}
