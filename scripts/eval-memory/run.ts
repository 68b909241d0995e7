/**
 * The memory evaluation itself (scripts/eval-memory/main.ts is its command line): ingest each
 * conversation through pup's stores and embedder, ask every question of categories 1-4 through
 * pup's recall and through the BM25 baseline, and score recall@k per category.
 */

import { sql } from "drizzle-orm";
import { createOfflineEmbedder } from "../../core/src/adapters/offline/embedder";
import { createSqlDirectory } from "../../core/src/adapters/sql/directory";
import { createSqlMessageStore } from "../../core/src/adapters/sql/message-store";
import { recallMessages } from "../../core/src/features/memory/recall";
import { DEFAULT_REPLY_SETTINGS } from "../../core/src/features/reply/settings";
import type { MessageStore } from "../../core/src/ports/message-store";
import { createDb, type Database, IN_MEMORY_DATA_DIR } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { buildBm25 } from "./bm25";
import { type Conversation, parseLocomo, type Turn } from "./locomo";
import { createProgress, type ProgressOutput } from "./progress";

const DIMENSIONS = 512;
const CHANNEL = "CLOCOMO0001";
/** Embedding requests carry this many texts. */
const EMBED_BATCH = 64;
export const CATEGORIES = [1, 2, 3, 4] as const;
const SYSTEMS = ["pup", "bm25"] as const;
type System = (typeof SYSTEMS)[number];

export interface EvalOptions {
  ks: number[];
  /** PostgreSQL with pgvector; unset: PGlite in memory. */
  databaseUrl?: string | undefined;
  progress?: ProgressOutput;
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
}

/** The workspace a conversation becomes: its own team, so nothing is recalled across them. */
const teamOf = (conversation: Conversation) => `TLOCOMO-${conversation.id}`;
const userOf = (speaker: string) => `U-${speaker.toUpperCase().replace(/[^A-Z0-9]+/g, "")}`;
/** Slack-style message timestamps that sort like the turns. */
const tsOf = (turn: Turn) =>
  `${Math.floor(turn.postedAt.getTime() / 1000)}.${String(turn.order).padStart(6, "0")}`;

/** |gold ∩ top-k| / |gold| */
function recallAt(k: number, ranked: string[], gold: string[]): number {
  const top = new Set(ranked.slice(0, k));
  return gold.filter((id) => top.has(id)).length / gold.length;
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
  const sums: Record<System, Record<number, number[]>> = { pup: {}, bm25: {} };
  const counts: Record<number, number> = {};
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
      logger: silent,
      now: () => Date.now(),
      reply: { ...DEFAULT_REPLY_SETTINGS, recallLimit: maxK },
    };

    const totalTurns = conversations.reduce((n, c) => n + c.turns.length, 0);
    const totalQuestions = conversations.reduce(
      (n, c) => n + c.questions.filter((q) => isScored(q.category)).length,
      0,
    );
    let started = performance.now();
    progress.start("ingesting turns", totalTurns);
    const idsByConversation = new Map<string, Map<string, string>>();
    for (const conversation of conversations) {
      idsByConversation.set(
        conversation.id,
        await ingest(conversation, directory, messages, embedder, () => progress.tick()),
      );
    }
    progress.done();
    seconds.ingest = (performance.now() - started) / 1000;
    started = performance.now();
    progress.start("asking pup", totalQuestions);
    const ranked: Record<System, string[][]> = { pup: [], bm25: [] };
    for (const conversation of conversations) {
      const turnOfTs = idsByConversation.get(conversation.id) ?? new Map();
      for (const question of conversation.questions.filter((q) => isScored(q.category))) {
        const hits = await recallMessages(deps, {
          teamId: teamOf(conversation),
          channelId: CHANNEL,
          query: question.question,
          exclude: new Set(),
          botUserId: "",
        });
        ranked.pup.push(hits.map((hit) => turnOfTs.get(hit.message.ts) ?? ""));
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
      for (const question of conversation.questions.filter((q) => isScored(q.category))) {
        ranked.bm25.push(index.search(question.question, maxK));
      }
    }
    seconds.bm25 = (performance.now() - started) / 1000;

    let n = 0;
    for (const conversation of conversations) {
      for (const question of conversation.questions.filter((q) => isScored(q.category))) {
        counts[question.category] = (counts[question.category] ?? 0) + 1;
        for (const system of SYSTEMS) {
          const perK = sums[system];
          const list = ranked[system][n] ?? [];
          ks.forEach((k, i) => {
            const values = perK[question.category] ?? ks.map(() => 0);
            values[i] = (values[i] ?? 0) + recallAt(k, list, question.evidence);
            perK[question.category] = values;
          });
        }
        n += 1;
      }
    }
    if (n === 0) throw new Error("the file has no questions of categories 1-4 with evidence");
    if (options.databaseUrl) await removeTeams(handle.db, teams);
  } finally {
    await handle.close();
  }

  const scores = (system: System): SystemScores => {
    const categories: Record<string, RecallAtK> = {};
    const overall: RecallAtK = {};
    const total = CATEGORIES.reduce((sum, c) => sum + (counts[c] ?? 0), 0);
    ks.forEach((k, i) => {
      let all = 0;
      for (const category of CATEGORIES) {
        const sum = sums[system][category]?.[i] ?? 0;
        all += sum;
        const count = counts[category] ?? 0;
        categories[String(category)] ??= {};
        (categories[String(category)] as RecallAtK)[String(k)] = count ? sum / count : Number.NaN;
      }
      overall[String(k)] = all / total;
    });
    return { overall, categories };
  };
  const questions = CATEGORIES.reduce((sum, c) => sum + (counts[c] ?? 0), 0);
  return {
    json: { questions, systems: { pup: scores("pup"), bm25: scores("bm25") } },
    ks,
    questionsPerCategory: Object.fromEntries(CATEGORIES.map((c) => [String(c), counts[c] ?? 0])),
    conversations: conversations.length,
    turns: conversations.reduce((sum, c) => sum + c.turns.length, 0),
    seconds,
  };
}

function isScored(category: number): boolean {
  return (CATEGORIES as readonly number[]).includes(category);
}

/** Stores one conversation's turns as messages in its own workspace and embeds them. */
async function ingest(
  conversation: Conversation,
  directory: ReturnType<typeof createSqlDirectory>,
  messages: MessageStore,
  embedder: ReturnType<typeof createOfflineEmbedder>,
  tick: () => void,
): Promise<Map<string, string>> {
  const teamId = teamOf(conversation);
  await directory.upsertWorkspace({ teamId, name: conversation.id });
  await directory.upsertChannel({
    teamId,
    channelId: CHANNEL,
    name: "conversation",
    visibility: "public_channel",
  });
  for (const speaker of conversation.speakers) {
    await directory.upsertUser({ teamId, userId: userOf(speaker), displayName: speaker });
  }
  const turnOfTs = new Map<string, string>();
  for (let start = 0; start < conversation.turns.length; start += EMBED_BATCH) {
    const batch = conversation.turns.slice(start, start + EMBED_BATCH);
    const stored = [];
    for (const turn of batch) {
      const ts = tsOf(turn);
      turnOfTs.set(ts, turn.id);
      stored.push(
        await messages.upsert({
          teamId,
          channelId: CHANNEL,
          ts,
          userId: userOf(turn.speaker),
          text: `${turn.speaker}: ${turn.text}`,
          visibility: "public_channel",
          postedAt: turn.postedAt,
        }),
      );
    }
    const vectors = await embedder.embed(stored.map((message) => message.text));
    for (const [i, message] of stored.entries()) {
      const vector = vectors[i];
      if (vector) await messages.setEmbedding(teamId, message.id, vector, embedder.model);
      tick();
    }
  }
  return turnOfTs;
}

/** Removes the evaluation's workspaces (their channels and messages go with them). */
async function removeTeams(db: Database, teams: string[]): Promise<void> {
  for (const teamId of teams) {
    await db.execute(sql`delete from messages where team_id = ${teamId}`);
    await db.execute(sql`delete from lexeme_stats where team_id = ${teamId}`);
    await db.execute(sql`delete from lexeme_totals where team_id = ${teamId}`);
    await db.execute(sql`delete from channels where team_id = ${teamId}`);
    await db.execute(sql`delete from users where team_id = ${teamId}`);
    await db.execute(sql`delete from workspaces where team_id = ${teamId}`);
  }
}

const percent = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? "   -  " : value.toFixed(3).padStart(6);

/** The human-readable table: per category and over 1-4, pup beside BM25 and their ratio. */
export function formatReport(report: EvalReport): string {
  const { systems } = report.json;
  const header = `${"".padEnd(22)}${report.ks.map((k) => `R@${k}`.padStart(8)).join("")}`;
  const lines = [
    `memory recall on ${report.conversations} conversations, ${report.turns} turns, ${report.json.questions} questions (categories 1-4)`,
    header,
  ];
  const rows: [string, (s: SystemScores) => RecallAtK | undefined][] = [
    ...CATEGORIES.map(
      (c) =>
        [
          `category ${c} (${report.questionsPerCategory[String(c)] ?? 0})`,
          (s: SystemScores) => s.categories[String(c)],
        ] as [string, (s: SystemScores) => RecallAtK | undefined],
    ),
    ["overall 1-4", (s) => s.overall],
  ];
  for (const [label, pick] of rows) {
    lines.push(label);
    for (const system of SYSTEMS) {
      const values = pick(systems[system]);
      lines.push(
        `  ${system.padEnd(20)}${report.ks.map((k) => percent(values?.[String(k)]).padStart(8)).join("")}`,
      );
    }
    const pup = pick(systems.pup);
    const bm25 = pick(systems.bm25);
    lines.push(
      `  ${"pup / bm25".padEnd(20)}${report.ks
        .map((k) => {
          const ratio = (pup?.[String(k)] ?? Number.NaN) / (bm25?.[String(k)] ?? Number.NaN);
          return (Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : "-").padStart(8);
        })
        .join("")}`,
    );
  }
  lines.push(
    `time: ingest ${report.seconds.ingest.toFixed(1)} s, pup recall ${report.seconds.pup.toFixed(1)} s, bm25 ${report.seconds.bm25.toFixed(1)} s`,
  );
  return `${lines.join("\n")}\n`;
}
