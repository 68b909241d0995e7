/** Small, dependency-free statistics for benchmark samples. */

/** The p-th percentile (0-100) of the samples by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

/** Times an async function in milliseconds with the high-resolution clock. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = Bun.nanoseconds();
  await fn();
  return (Bun.nanoseconds() - start) / 1e6;
}
