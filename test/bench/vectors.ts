/**
 * Deterministic, clustered unit vectors for benchmarks: real conversations embed into topics, so
 * uniformly random vectors would make an HNSW index look worse (and filters look cheaper) than
 * production. A seeded generator keeps every run's data identical.
 */

/** mulberry32: a tiny seeded PRNG, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

/** Generates vectors around `topics` random centres with the given noise. */
export function clusteredVectors(options: {
  count: number;
  dimensions: number;
  topics: number;
  noise: number;
  seed: number;
}): number[][] {
  const random = seededRandom(options.seed);
  const gaussianish = () => random() + random() + random() - 1.5;
  const centres = Array.from({ length: options.topics }, () =>
    normalise(Array.from({ length: options.dimensions }, gaussianish)),
  );
  return Array.from({ length: options.count }, (_, i) => {
    const centre = centres[i % options.topics] ?? [];
    return normalise(centre.map((x) => x + options.noise * gaussianish()));
  });
}
