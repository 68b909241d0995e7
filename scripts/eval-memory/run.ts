/**
 * The memory evaluation itself (scripts/eval-memory/main.ts is its command line): ingest each
 * conversation through pup's stores and embedder, ask every question of categories 1-4 through
 * pup's recall and through the BM25 baseline, and score recall@k per category.
 */

import { createOfflineEmbedder } from "../../core/src/adapters/offline/embedder";
import { createSqlDirectory } from "../../core/src/adapters/sql/directory";
import { createSqlMessageStore } from "../../core/src/adapters/sql/message-store";
import { type RecalledMemory, recallMessages } from "../../core/src/features/memory/recall";
import { DEFAULT_REPLY_SETTINGS } from "../../core/src/features/reply/settings";
import { createDb, type Database, IN_MEMORY_DATA_DIR } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { buildBm25 } from "./bm25";
import { CHANNEL, type IngestedConversation, ingest, removeTeams, teamOf } from "./ingest";
import { type Conversation, parseLocomo } from "./locomo";
import { createProgress, type ProgressOutput } from "./progress";
import {
  derivedShare,
  messageItems,
  type RecalledItem,
  type RecalledKind,
  recallAt,
} from "./score";

const DIMENSIONS = 512;
export const CATEGORIES = [1, 2, 3, 4] as const;
export const SYSTEMS = ["pup", "bm25"] as const;
type System = (typeof SYSTEMS)[number];
/** What is scored: the two systems, and pup with derived memories when a hook gives them. */
type Scored = System | "derived";

/**
 * Derived memories (summaries, profile facts) in the evaluation: `derive` runs once a
 * conversation's turns are stored (e.g. pup's offline summarizer and fact extractor over them),
 * and `recall` gives the ranked list a reply would see, pup's recalled messages with derived
 * items placed among them. Each item names its sources by stored message id; the score counts
 * an item as recalling its sources (score.ts).
 */
export interface DerivedMemoryHook {
  name: string;
  derive(input: { db: Database; teamId: string; channelId: string }): Promise<void>;
  recall(input: {
    db: Database;
    teamId: string;
    channelId: string;
    question: string;
    messages: RecalledMemory[];
    limit: number;
  }): Promise<{ kind: RecalledKind; messageIds: number[] }[]>;
}

export interface EvalOptions {
  ks: number[];
  /** PostgreSQL with pgvector; unset: PGlite in memory. */
  databaseUrl?: string | undefined;
  progress?: ProgressOutput;
  /** Scores pup again with derived memories among its recalled messages (report.derived). */
  derived?: DerivedMemoryHook;
}

/** recall@k by k, e.g. {"10": 0.71}. */
export type RecallAtK = Record<string, number>;

export interface SystemScores {
  overall: RecallAtK;
  categories: Record<string, RecallAtK>;
}

export interface EvalReport {
  json: { questions: number; systems: Record<System, SystemScores> };
  ks: number[];
  questionsPerCategory: Record<string, number>;
  conversations: number;
  turns: number;
  seconds: { ingest: number; pup: number; bm25: number };
  /** With a derived-memory hook: pup's scores with derived items, and what they cost per k. */
  derived?: {
    name: string;
    scores: SystemScores;
    /** Mean derived items among the first k and mean sources they stood for, by k. */
    perQuestion: Record<string, { items: number; sources: number }>;
  };
}

export async function runEvaluation(json: unknown, options: EvalOptions): Promise<EvalReport> {
  const conversations = parseLocomo(json);
  const ks = [...new Set(options.ks)].sort((a, b) => a - b);
  const maxK = ks.at(-1) ?? 10;
  const progress = createProgress(options.progress);
  const handle = createDb({
    databaseUrl: options.databaseUrl,
    dataDir: IN_MEMORY_DATA_DIR,
    embeddingDimensions: DIMENSIONS,
  });
  const teams = conversations.map(teamOf);
  const ranked: Record<Scored, RecalledItem[][]> = { pup: [], bm25: [], derived: [] };
  const seconds = { ingest: 0, pup: 0, bm25: 0 };
  try {
    progress.phase("preparing the database");
    await migrateDatabase(handle, { embeddingDimensions: DIMENSIONS });
    await removeTeams(handle.db, teams);
    const messages = createSqlMessageStore(handle.db);
    const directory = createSqlDirectory(handle.db);
    const embedder = createOfflineEmbedder(DIMENSIONS);
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const deps = {
      messages,
      embedder,
      directory,
      logger: silent,
      now: () => Date.now(),
      reply: { ...DEFAULT_REPLY_SETTINGS, recallLimit: maxK },
    };

    const totalTurns = conversations.reduce((n, c) => n + c.turns.length, 0);
    const totalQuestions = conversations.reduce((n, c) => n + scored(c).length, 0);
    let started = performance.now();
    progress.start("ingesting turns", totalTurns);
    const ingested = new Map<string, IngestedConversation>();
    for (const conversation of conversations) {
      const ids = await ingest(conversation, directory, messages, embedder, () => progress.tick());
      ingested.set(conversation.id, ids);
      await options.derived?.derive({
        db: handle.db,
        teamId: teamOf(conversation),
        channelId: CHANNEL,
      });
    }
    progress.done();
    seconds.ingest = (performance.now() - started) / 1000;
    started = performance.now();
    progress.start("asking pup", totalQuestions);
    for (const conversation of conversations) {
      const { turnOfTs, turnOfMessageId } = ingested.get(conversation.id) as IngestedConversation;
      const teamId = teamOf(conversation);
      for (const question of scored(conversation)) {
        const hits = await recallMessages(deps, {
          teamId,
          channelId: CHANNEL,
          query: question.question,
          exclude: new Set(),
          botUserId: "",
        });
        ranked.pup.push(messageItems(hits.map((hit) => turnOfTs.get(hit.message.ts) ?? "")));
        if (options.derived) {
          const items = await options.derived.recall({
            db: handle.db,
            teamId,
            channelId: CHANNEL,
            question: question.question,
            messages: hits,
            limit: maxK,
          });
          ranked.derived.push(
            items.map((item) => ({
              kind: item.kind,
              sources: item.messageIds.flatMap((id) => turnOfMessageId.get(id) ?? []),
            })),
          );
        }
        progress.tick();
      }
    }
    progress.done();
    seconds.pup = (performance.now() - started) / 1000;

    started = performance.now();
    for (const conversation of conversations) {
      const index = buildBm25(
        conversation.turns.map((turn) => ({ id: turn.id, text: `${turn.speaker}: ${turn.text}` })),
      );
      for (const question of scored(conversation)) {
        ranked.bm25.push(messageItems(index.search(question.question, maxK)));
      }
    }
    seconds.bm25 = (performance.now() - started) / 1000;
    if (options.databaseUrl) await removeTeams(handle.db, teams);
  } finally {
    await handle.close();
  }

  const questions = conversations.flatMap(scored);
  if (questions.length === 0) {
    throw new Error("the file has no questions of categories 1-4 with evidence");
  }
  const counts: Record<number, number> = {};
  for (const question of questions)
    counts[question.category] = (counts[question.category] ?? 0) + 1;
  const scores = (system: Scored): SystemScores => {
    const categories: Record<string, RecallAtK> = {};
    const overall: RecallAtK = {};
    for (const k of ks) {
      const sums: Record<number, number> = {};
      questions.forEach((question, n) => {
        const items = ranked[system][n] ?? [];
        sums[question.category] =
          (sums[question.category] ?? 0) + recallAt(k, items, question.evidence);
      });
      let all = 0;
      for (const category of CATEGORIES) {
        const count = counts[category] ?? 0;
        all += sums[category] ?? 0;
        categories[String(category)] ??= {};
        (categories[String(category)] as RecallAtK)[String(k)] = count
          ? (sums[category] ?? 0) / count
          : Number.NaN;
      }
      overall[String(k)] = all / questions.length;
    }
    return { overall, categories };
  };
  const perQuestion = (k: number) => {
    const shares = ranked.derived.map((items) => derivedShare(k, items));
    const mean = (pick: (share: { items: number; sources: number }) => number) =>
      shares.reduce((sum, share) => sum + pick(share), 0) / Math.max(1, shares.length);
    return { items: mean((share) => share.items), sources: mean((share) => share.sources) };
  };
  return {
    json: { questions: questions.length, systems: { pup: scores("pup"), bm25: scores("bm25") } },
    ks,
    questionsPerCategory: Object.fromEntries(CATEGORIES.map((c) => [String(c), counts[c] ?? 0])),
    conversations: conversations.length,
    turns: conversations.reduce((sum, c) => sum + c.turns.length, 0),
    seconds,
    ...(options.derived
      ? {
          derived: {
            name: options.derived.name,
            scores: scores("derived"),
            perQuestion: Object.fromEntries(ks.map((k) => [String(k), perQuestion(k)])),
          },
        }
      : {}),
  };
}

/** A conversation's questions of categories 1-4 (the others are not scored). */
function scored(conversation: Conversation) {
  return conversation.questions.filter((q) =>
    (CATEGORIES as readonly number[]).includes(q.category),
  );
}
