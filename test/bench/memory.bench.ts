/**
 * Long-term memory at scale (issue 5): pup's recall queries over 100k messages in one workspace
 * on real PostgreSQL + pgvector, each beside the same query answered exactly.
 *
 * Data: generated chat (memory/corpus.ts) across public and private channels, DMs and group DMs,
 * embedded with the offline embedder at 512 dimensions and bulk-loaded (memory/load.ts).
 * Queries: questions asked from a mix of conversations, so the visibility filter matters.
 *
 * Systems: "exact" is pup's schema before the HNSW index is built: every vector query is a
 * sequential scan computing every distance (the ground truth, and what recall costs without the
 * vector index); the other indexes are in place, so the text rows differ only by noise.
 * "indexed" is pup as deployed (HNSW, `hnsw.iterative_scan = strict_order`). Both run pup's own
 * code (MessageStore, recallMemories) over createDb handles. The "without filters" rows are the
 * same select with no WHERE, so the visibility filter's cost reads off against them.
 * Part 2 sweeps `hnsw.ef_search` (40 = pgvector's default, 64, 100, 150 = pup's, 200; set on
 * each connection of the pass's database handle) for recall@10 and single-client queries/s of top-10
 * queries; the exact queries/s is that of the exact pass's top-24 scans (a full scan costs the
 * same either way).
 *
 * The indexed system's store, lexical and whole-recall queries cover all BENCH_MEMORY_QUERIES
 * (200), after 20 untimed ones (a warm core's pooled connections have their statements
 * prepared); exact answers (a full scan each, ~0.4 s at 100k) cover the first
 * BENCH_MEMORY_EXACT_QUERIES (80), and every recall@k, line overlap and the sweep use those.
 * BENCH_MEMORY_MESSAGES (default 100000) and the two above shrink the run; at the defaults it
 * takes about 3 minutes on 2 cores.
 */
import { loadavg } from "node:os";
import postgres from "postgres";
import { offlineEmbedding } from "../../core/src/adapters/offline/embedder";
import { createSqlDirectory } from "../../core/src/adapters/sql/directory";
import { createDb, type DbHandle, SESSION_SETTINGS } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createScratchDatabase } from "../setup/isolation";
import { generateQueries } from "./memory/corpus";
import { buildVectorIndex, loadMessages, seedDirectory } from "./memory/load";
import { memoryReport } from "./memory/memory-report";
import {
  type BenchQuery,
  type PhaseResult,
  type QueryKind,
  runPhase,
  WARMUP_QUERIES,
} from "./memory/phases";
import type { BenchReport } from "./report";

const MESSAGES = Number(process.env.BENCH_MEMORY_MESSAGES ?? 100_000);
const QUERIES = Number(process.env.BENCH_MEMORY_QUERIES ?? 200);
const EXACT_QUERIES = Math.min(QUERIES, Number(process.env.BENCH_MEMORY_EXACT_QUERIES ?? 80));
const DIMENSIONS = 512;
const EF_SEARCH = [40, 64, 100, 150, 200] as const;
/** pup's own setting (db/client.ts SESSION_SETTINGS). */
const DEFAULT_EF_SEARCH = Number(SESSION_SETTINGS["hnsw.ef_search"]);
/** Cheap kinds run every query; lexical and whole recall (slow today) the covered ones. */
const STORE_KINDS: QueryKind[] = ["filtered24", "plain24", "search"];
const RECALL_KINDS: QueryKind[] = ["lexical", "recall"];
/** Lexical recall does not touch the vector index, so the exact pass skips it (time). */
const EXACT_KINDS: QueryKind[] = [...STORE_KINDS, "recall"];

/** Queries of the indexed passes that order by vector distance (recall's nearest included). */
function indexedVectorQueries(): number {
  const per = (count: number) => count + Math.min(WARMUP_QUERIES, count);
  const sweep = EF_SEARCH.length * 2 * per(EXACT_QUERIES);
  return sweep + 3 * per(QUERIES);
}

const progress = (line: string) => console.error(`bench memory: ${line}`);
const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

/** Index scans PostgreSQL has counted on the HNSW index: proof of which plan each pass used. */
async function hnswScans(url: string): Promise<number> {
  // Backends flush their statistics as they exit; give the last ones a moment.
  await Bun.sleep(1000);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ scans: string }[]>`
      select idx_scan as scans from pg_stat_user_indexes
      where indexrelname = 'messages_embedding_hnsw_idx'`;
    return Number(row?.scans ?? Number.NaN);
  } finally {
    await sql.end();
  }
}

async function withHandle<T>(
  url: string,
  work: (handle: DbHandle) => Promise<T>,
  efSearch?: number,
): Promise<T> {
  const handle = createDb({
    databaseUrl: url,
    dataDir: "",
    embeddingDimensions: DIMENSIONS,
    ...(efSearch ? { sessionSettings: { "hnsw.ef_search": String(efSearch) } } : {}),
  });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

export default async function memoryBench(): Promise<BenchReport> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const scratch = await createScratchDatabase("pup_bench_memory");
  try {
    await withHandle(scratch.url, async (handle) => {
      await migrateDatabase(handle, { embeddingDimensions: DIMENSIONS });
      await seedDirectory(createSqlDirectory(handle.db));
    });
    progress(`loading ${MESSAGES} messages`);
    const load = await loadMessages(scratch.url, {
      count: MESSAGES,
      dimensions: DIMENSIONS,
      progress,
    });
    progress(`loaded in ${load.copySeconds.toFixed(1)} s`);
    const queries: BenchQuery[] = generateQueries(QUERIES).map((q) => ({
      ...q,
      vector: offlineEmbedding(q.text, DIMENSIONS),
    }));

    // The generator rotates through the visibility kinds, so any prefix keeps the mix.
    const covered = queries.slice(0, EXACT_QUERIES);
    progress(`exact pass (no HNSW index yet), ${covered.length} queries`);
    const exact = await withHandle(scratch.url, (h) => runPhase(h, covered, EXACT_KINDS, progress));

    progress("building the HNSW index");
    const vectorIndex = await buildVectorIndex(scratch.url, load.vectorIndexDefinition);
    progress(`HNSW index built in ${vectorIndex.seconds.toFixed(1)} s`);
    const scansBefore = await hnswScans(scratch.url);
    const indexed: Record<number, PhaseResult> = {};
    for (const ef of EF_SEARCH) {
      progress(`indexed pass, hnsw.ef_search = ${ef}`);
      indexed[ef] = await withHandle(
        scratch.url,
        async (h) => {
          const sweep = await runPhase(h, covered, ["filtered10", "plain10"], progress);
          if (ef !== DEFAULT_EF_SEARCH) return sweep;
          const store = await runPhase(h, queries, STORE_KINDS, progress);
          return { ...sweep, ...store, ...(await runPhase(h, queries, RECALL_KINDS, progress)) };
        },
        ef,
      );
    }
    const scansDuringIndexed = (await hnswScans(scratch.url)) - scansBefore;

    return memoryReport({
      messages: MESSAGES,
      queries: QUERIES,
      exactQueries: EXACT_QUERIES,
      dimensions: DIMENSIONS,
      defaultEfSearch: DEFAULT_EF_SEARCH,
      exact,
      indexed,
      load,
      vectorIndex,
      parameters: {
        cores: navigator.hardwareConcurrency,
        loadAverageBefore: round(loadBefore, 2),
        // Every vector query of the indexed passes should have been an HNSW index scan.
        hnswScansInIndexedPasses: scansDuringIndexed,
        vectorQueriesInIndexedPasses: indexedVectorQueries(),
      },
    });
  } finally {
    await scratch.drop();
  }
}
