/**
 * Recall@k of an approximate nearest-neighbour answer against the exact one, by distance rather
 * than by row id: equal texts embed to equal vectors, so the exact top k often ends in a tie, and
 * whichever tied row an index returns is as correct as the one a sequential scan happened to pick.
 */

/** Distances computed twice by PostgreSQL for the same pair agree far closer than this. */
const TIE_TOLERANCE = 1e-6;

/**
 * The share of the exact top k that `found` matches: a found row counts when its distance is no
 * greater than the exact k-th distance. `exact` and `found` are distances, nearest first. An empty
 * exact answer (nothing visible) is matched fully by any answer, which can only be empty too.
 */
export function recallAtK(found: readonly number[], exact: readonly number[], k: number): number {
  const truth = exact.slice(0, k);
  const last = truth.at(-1);
  if (last === undefined) return 1;
  const hits = found.slice(0, k).filter((distance) => distance <= last + TIE_TOLERANCE).length;
  return Math.min(hits, truth.length) / truth.length;
}

/** The share of `exact`'s items that `found` also holds (order ignored); 1 when exact is empty. */
export function overlap(found: readonly string[], exact: readonly string[]): number {
  if (exact.length === 0) return 1;
  const have = new Set(found);
  return exact.filter((item) => have.has(item)).length / exact.length;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
