/**
 * Guards "nothing crosses workspaces" where it is decided: the queries on the messages table.
 *
 * 1. Static: every product file that can query `messages` (see messages-table-uses.ts for what
 *    counts) must be on ALLOWED below. A new `db.select().from(messages)` anywhere else fails here.
 *    To extend the list: make every statement in the new file filter by `team_id` (recall also
 *    by visibility: the asking conversation's own rows or public channels), give any new
 *    MessageStore / DerivedMemory method a row in STORE_CALLS / DERIVED_CALLS, and add the file
 *    with one line saying how it is scoped. Entries that no longer query the table fail too, so
 *    the list stays exact.
 * 2. Runtime: each method of the SQL MessageStore and DerivedMemory runs for workspace A over a
 *    database holding the same rows for workspace B, with postgres.js recording every statement.
 *    Each statement naming `messages` must compare `team_id` and be given A's id (and no other
 *    team's) as a parameter; no result may hold B's rows (nor, for recall, another
 *    conversation's private rows). The method tables are typed by the ports, so a new method
 *    does not compile until it has a row here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createSqlDerivedMemory } from "../../core/src/adapters/sql/derived-memory";
import { createSqlDirectory } from "../../core/src/adapters/sql/directory";
import { createSqlMessageStore } from "../../core/src/adapters/sql/message-store";
import type { DerivedMemory } from "../../core/src/ports/derived-memory";
import type { MessageStore, StoredMessage } from "../../core/src/ports/message-store";
import { type Database, SESSION_SETTINGS } from "../../db/client";
import * as schema from "../../db/schema";
import { fakeEmbedding } from "../fakes/openai";
import { uniqueName } from "../setup/isolation";
import { type ScopeFixture, seedTwoWorkspaces } from "./memory-scope-fixture";
import {
  messagesTableUses,
  SQL_NAMING_MESSAGES,
  scanForMessagesTable,
  sourceFiles,
} from "./messages-table-uses";

const root = resolve(import.meta.dir, "../..");

/** Files that may query the messages table, each with how its statements are scoped. */
const ALLOWED: Record<string, string> = {
  "core/src/adapters/sql/message-store.ts":
    "MessageStore: every statement filters by team (byRef, liveInChannel, teamId)",
  "core/src/adapters/sql/message-recall.ts":
    "recall: visibleFrom(scope) = the team, and public channels or the asking conversation",
  "core/src/adapters/sql/message-batches.ts":
    "MessageStore batches: refs match on (team, channel, ts); embeddings filter by team",
  "core/src/adapters/sql/message-lexical.ts": "lexical recall: matches and neighbours alike",
  "core/src/adapters/sql/derived-memory.ts":
    "facts (filtered by team) join their source messages (same team) only to check visibility",
  "core/src/adapters/sql/channels.ts": "conversions and id changes filter by team and channel",
  "core/src/adapters/sql/profile-store.ts":
    "profiles: one user's messages of one team; the turn before each in the same team and channel",
  "core/src/adapters/sql/summaries.ts":
    "summary sources: the team and the recall rule (visibleIn); activity and citations by team",
  "core/src/adapters/sql/retention-store.ts":
    "cleanup: archives one team's old messages; facts (filtered by team) join their sources' dates",
  "core/src/adapters/sql/forget-store.ts":
    "forgetting: one team's rows of one author or one (channel, ts); authorOf reads only user_id",
  "core/src/adapters/sql/forget-steps.ts":
    "forgetting: one team's rows at given (channel, ts) or ids, found by forget-store.ts",
  "core/src/adapters/sql/event-log.ts":
    "refuses a payload about a deleted message: probes one team's (channel, ts) for deleted_at",
  "db/embedding-dimensions.ts":
    "migration-time check over the whole database: counts embeddings, reads no message content",
};

/** Product code: everything that ships (tests, benchmarks and the eval script do not). */
const PRODUCT_DIRS = ["core/src", "workers/src", "edge/src", "demo", "protocol", "db"];
const NOT_SCANNED = ["db/schema", "db/migrations"];

describe("static: only allow-listed files query the messages table", () => {
  test("every file that can query messages is on the allow-list, and every entry still does", () => {
    const files = sourceFiles(
      PRODUCT_DIRS.map((dir) => join(root, dir)),
      NOT_SCANNED.map((dir) => join(root, dir)),
    );
    expect(files.length).toBeGreaterThan(50);
    const uses = scanForMessagesTable(root, files);
    const unlisted = [...uses.entries()]
      .filter(([file]) => !(file in ALLOWED))
      .flatMap(([, found]) => found.map((use) => `${use.file}:${use.line} ${use.what}`));
    expect(unlisted).toEqual([]);
    const stale = Object.keys(ALLOWED).filter((file) => !uses.has(file));
    expect(stale).toEqual([]);
  });

  test("the scanner finds each way of reaching the table, and not column references", () => {
    const schemaDir = join(root, "db/schema");
    const file = join(root, "core/src/app/new-feature.ts");
    const uses = (source: string) => messagesTableUses(file, source, schemaDir, root).length;
    const imports = 'import { messages } from "../../../db/schema";\n';
    expect(uses(`${imports}export const all = (db) => db.select().from(messages);`)).toBe(1);
    expect(
      uses(
        'import { messages as m } from "../../../db/schema/messages";\nexport const f = (db) => db.delete(m);',
      ),
    ).toBe(1);
    expect(
      uses(
        'import * as s from "../../../db/schema";\nexport const f = (db) => db.update(s.messages);',
      ),
    ).toBe(1);
    expect(uses("export const f = (db) => db.query.messages.findMany();")).toBe(1);
    expect(uses("export const f = (db, sql) => db.execute(sql`select text from messages`);")).toBe(
      1,
    );
    expect(uses('export const f = (sql) => sql.raw("DELETE FROM public.messages");')).toBe(1);
    expect(
      uses(
        `${imports}export const f = (db, sql) => db.execute(sql\`select * from \${messages}\`);`,
      ),
    ).toBe(1);
    expect(uses('export { messages } from "../../../db/schema";')).toBe(1);
    // Not queries: a column reference, prose in a comment, another table's name.
    expect(uses(`${imports}export const column = messages.teamId;`)).toBe(0);
    expect(uses("// splits a text into messages of at most 4000 characters\nexport {};")).toBe(0);
    expect(uses('export const q = "select 1 from messages_archive";')).toBe(0);
  });
});

/** A statement the database received, with its parameters. */
interface Statement {
  query: string;
  parameters: unknown[];
}

/**
 * Why a statement naming `messages` is not scoped to workspace `asked` (of `teams`, the seeded
 * ones), or undefined when it is: it must compare `team_id` (`team_id = …`, or a row match
 * `(team_id, …) in …`) and be given `asked`, and no other seeded team, as a parameter. (An insert
 * needs no predicate: its row carries the team.) Drizzle and the adapters' raw SQL pass every
 * value as a parameter, so a team written into the SQL text itself is reported too.
 */
function unscoped(statement: Statement, asked: string, teams: string[]): string | undefined {
  if (!SQL_NAMING_MESSAGES.test(statement.query)) return undefined;
  const insert = /^\s*insert\s+into\s+"?messages"?/i.test(statement.query);
  const predicate =
    /team_id"?\s*=/i.test(statement.query) ||
    /\(\s*[\w".]*team_id"?\s*,[^)]*\)\s*in\b/i.test(statement.query);
  if (!insert && !predicate) return "no team_id predicate";
  const named = (team: string) =>
    statement.parameters.some((value) => typeof value === "string" && value.includes(team));
  if (!named(asked)) return "not given the asking team";
  const others = teams.filter((team) => team !== asked && named(team));
  if (others.length > 0) return `given other teams: ${others.join(", ")}`;
  if (teams.some((team) => statement.query.includes(team))) return "a team id in the SQL text";
  return undefined;
}

let client: postgres.Sql;
let db: Database;
let statements: Statement[] = [];
let fixture: ScopeFixture;

beforeAll(async () => {
  const url = process.env.PUP_TEST_DATABASE_URL;
  if (!url) throw new Error("PUP_TEST_DATABASE_URL is not set (test/setup/preload.ts)");
  client = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: SESSION_SETTINGS,
    debug: (_connection, query, parameters) => {
      statements.push({ query, parameters: [...parameters] });
    },
  });
  db = drizzle({ client, schema });
  fixture = await seedTwoWorkspaces(
    createSqlDirectory(db),
    createSqlMessageStore(db),
    createSqlDerivedMemory(db),
    uniqueName("TSCOPE"),
  );
});

afterAll(async () => {
  await client?.end();
});

/** Runs `call`, returning what it returned and the statements it sent that name `messages`. */
async function recorded<T>(call: () => Promise<T>) {
  statements = [];
  const result = await call();
  return {
    result,
    statements: statements.filter((s) => SQL_NAMING_MESSAGES.test(s.query)),
    problems: statements.flatMap((s) => {
      const why = unscoped(s, fixture.a.teamId, [fixture.a.teamId, fixture.b.teamId]);
      return why ? [`${why}: ${s.query.replace(/\s+/g, " ").slice(0, 160)}`] : [];
    }),
  };
}

/** Every stored message in a result, however nested. */
function messagesIn(value: unknown): StoredMessage[] {
  if (Array.isArray(value)) return value.flatMap(messagesIn);
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  if (typeof record.teamId === "string" && typeof record.channelId === "string") {
    return [record as unknown as StoredMessage];
  }
  return Object.values(record).flatMap(messagesIn);
}

type Calls<Port> = { [K in keyof Port]: (port: Port, f: ScopeFixture) => Promise<unknown> };

/** One call per MessageStore method, all for workspace A (asked from its public channel). */
const STORE_CALLS: Calls<MessageStore> = {
  upsert: (s, f) => s.upsert(f.newMessageInA("a new fact about orchids")),
  find: (s, f) => s.find(f.a.refs.public),
  findMany: (s, f) => s.findMany([f.a.refs.public, f.a.refs.private, f.a.refs.dm]),
  edit: (s, f) => s.edit(f.a.refs.editable, "the launch code changed", new Date()),
  softDelete: (s, f) => s.softDelete(f.a.refs.deletable, new Date()),
  hardDelete: (s, f) => s.hardDelete(f.a.refs.removable),
  thread: (s, f) => s.thread(f.a.teamId, f.a.channels.public, f.a.refs.public.ts),
  recentInChannel: (s, f) => s.recentInChannel(f.a.teamId, f.a.channels.public, 50),
  recentFromUser: (s, f) =>
    s.recentFromUser(f.a.teamId, f.a.channels.public, f.userId, new Date(0), 50),
  recentByAuthor: (s, f) => s.recentByAuthor(f.a.teamId, f.userId, 50),
  setEmbedding: (s, f) =>
    s.setEmbedding(f.a.teamId, f.a.ids.public, fakeEmbedding(f.text, 512), "test"),
  setEmbeddings: (s, f) =>
    s.setEmbeddings(
      f.a.teamId,
      [{ messageId: f.a.ids.public, embedding: fakeEmbedding(f.text, 512) }],
      "test",
    ),
  nearest: (s, f) =>
    s.nearest(
      { teamId: f.a.teamId, fromChannelId: f.a.channels.public, limit: 50 },
      fakeEmbedding(f.text, 512),
    ),
  lexical: (s, f) =>
    s.lexical(
      { teamId: f.a.teamId, fromChannelId: f.a.channels.public, limit: 50 },
      "launch code orchid",
      2,
    ),
  search: (s, f) =>
    s.search({ teamId: f.a.teamId, fromChannelId: f.a.channels.public, limit: 50 }, "launch code"),
};

const DERIVED_CALLS: Calls<DerivedMemory> = {
  addFact: (d, f) =>
    d.addFact({
      teamId: f.a.teamId,
      userId: f.userId,
      fact: "waters orchids",
      sourceMessageIds: [f.a.ids.public],
    }),
  factsAbout: (d, f) => d.factsAbout(f.a.teamId, f.userId, f.a.channels.public, 50),
  saveSummary: (d, f) =>
    d.saveSummary({
      teamId: f.a.teamId,
      channelId: f.a.channels.public,
      periodStart: new Date(Date.now() - 60_000),
      periodEnd: new Date(),
      summary: "orchids were discussed",
      sourceUserIds: [f.userId],
    }),
  latestSummary: (d, f) => d.latestSummary(f.a.teamId, f.a.channels.public),
  summarySources: (d, f) =>
    d.summarySources(
      { teamId: f.a.teamId, fromChannelId: f.a.channels.public },
      new Date(0),
      new Date(Date.now() + 60_000),
      50,
    ),
  activeConversations: (d, f) =>
    d.activeConversations(f.a.teamId, new Date(0), new Date(Date.now() + 60_000)),
  removeSummary: (d, f) =>
    d.removeSummary({
      teamId: f.a.teamId,
      channelId: f.a.channels.public,
      threadTs: null,
      periodStart: new Date(0),
      periodEnd: new Date(1),
    }),
  summariesCiting: (d, f) => d.summariesCiting(f.a.teamId, [f.a.ids.public]),
  recallSummaries: (d, f) =>
    d.recallSummaries({ teamId: f.a.teamId, fromChannelId: f.a.channels.public }, "orchids", 50),
};

describe("runtime: every messages statement is scoped to the asking workspace", () => {
  test("every MessageStore method: team_id bound to A, no row of B, no private row of A", async () => {
    const store = createSqlMessageStore(db);
    expect(Object.keys(store).sort()).toEqual(Object.keys(STORE_CALLS).sort());
    for (const [method, call] of Object.entries(STORE_CALLS)) {
      const run = await recorded(() => call(store, fixture));
      expect({ method, problems: run.problems }).toEqual({ method, problems: [] });
      const rows = messagesIn(run.result);
      expect({ method, teams: [...new Set(rows.map((m) => m.teamId))] }).toEqual({
        method,
        teams: rows.length > 0 ? [fixture.a.teamId] : [],
      });
      if (method === "nearest" || method === "search" || method === "lexical") {
        // Asked from the public channel: A's private channel and DM stay out.
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((m) => m.channelId !== fixture.a.channels.public)).toEqual([]);
      }
      expect({ method, statements: run.statements.length > 0 }).toEqual({
        method,
        statements: true,
      });
    }
  });

  test("every DerivedMemory method: team_id bound to A, and B's facts and summaries stay out", async () => {
    const derived = createSqlDerivedMemory(db);
    expect(Object.keys(derived).sort()).toEqual(Object.keys(DERIVED_CALLS).sort());
    const results = new Map<string, unknown>();
    for (const [method, call] of Object.entries(DERIVED_CALLS)) {
      const run = await recorded(() => call(derived, fixture));
      expect({ method, problems: run.problems }).toEqual({ method, problems: [] });
      results.set(method, run.result);
    }
    expect(JSON.stringify(results.get("factsAbout"))).not.toContain(fixture.b.teamId);
    expect(results.get("factsAbout")).toContain(`fact of ${fixture.a.teamId}`);
    expect(results.get("latestSummary")).toBe(`summary of ${fixture.a.teamId}`);
  });

  test("an unscoped statement is reported (the check has teeth)", async () => {
    const run = await recorded(() =>
      db
        .select()
        .from(schema.messages)
        .where(eq(schema.messages.channelId, fixture.a.channels.public)),
    );
    expect(run.problems.length).toBeGreaterThan(0);
  });
});
