import { afterAll, beforeAll, expect, test } from "bun:test";
import { createDb, type DbHandle } from "../../../../db/client";
import { uniqueName } from "../../../../test/setup/isolation";
import { createSqlDerivedMemory } from "../../adapters/sql/derived-memory";
import { createSqlDirectory } from "../../adapters/sql/directory";
import { createSqlMessageStore } from "../../adapters/sql/message-store";
import { cachedDerivedMemory } from "./derived-cache";

let handle: DbHandle;

beforeAll(() => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set");
  handle = createDb({ databaseUrl, dataDir: "memory://", embeddingDimensions: 512 });
});

afterAll(async () => {
  await handle?.close();
});

test("reads are cached until the TTL; writes through the cache are seen at once", async () => {
  let clock = 5_000_000;
  const sql = createSqlDerivedMemory(handle.db);
  const cached = cachedDerivedMemory(sql, { ttlMs: 60_000, now: () => clock });
  const teamId = uniqueName("T");
  await createSqlDirectory(handle.db).upsertWorkspace({ teamId });
  const day = new Date(Date.UTC(2026, 10, 1));
  const summary = (text: string) => ({
    teamId,
    channelId: "C1",
    periodStart: day,
    periodEnd: new Date(day.getTime() + clock),
    summary: text,
    sourceUserIds: ["U1"],
  });

  expect(await cached.latestSummary(teamId, "C1")).toBeUndefined();
  await sql.saveSummary(summary("written elsewhere"));
  // Another process wrote it: this one keeps its cached answer for the TTL...
  expect(await cached.latestSummary(teamId, "C1")).toBeUndefined();
  clock += 60_001;
  expect(await cached.latestSummary(teamId, "C1")).toBe("written elsewhere");
  // ...while a write through this cache is seen at once.
  await cached.saveSummary(summary("written here"));
  expect(await cached.latestSummary(teamId, "C1")).toBe("written here");

  expect(await cached.factsAbout(teamId, "U1", "C1", 5)).toEqual([]);
  // A fact shows only with a source (ADR-029): one message in C1 backs both.
  await createSqlDirectory(handle.db).upsertChannel({
    teamId,
    channelId: "C1",
    visibility: "public_channel",
  });
  const source = await createSqlMessageStore(handle.db).upsert({
    teamId,
    channelId: "C1",
    ts: "1700000000.000001",
    userId: "U1",
    text: "I like tea, and rain",
    postedAt: day,
  });
  const sourceMessageIds = [source.id];
  await cached.addFact({ teamId, userId: "U1", fact: "likes tea", sourceMessageIds });
  expect(await cached.factsAbout(teamId, "U1", "C1", 5)).toEqual(["likes tea"]);
  // Facts are never served from the cache: their sources' visibility may change in any process.
  await sql.addFact({ teamId, userId: "U1", fact: "likes rain", sourceMessageIds });
  expect((await cached.factsAbout(teamId, "U1", "C1", 5)).sort()).toEqual([
    "likes rain",
    "likes tea",
  ]);
});
