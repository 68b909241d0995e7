import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createDb, type DbHandle } from "../../../../db/client";
import { uniqueName } from "../../../../test/setup/isolation";
import { createSqlDirectory } from "../../adapters/sql/directory";
import { cachedDirectory } from "./directory-cache";

let handle: DbHandle;

beforeAll(() => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set");
  handle = createDb({ databaseUrl, dataDir: "memory://", embeddingDimensions: 512 });
});

afterAll(async () => {
  await handle?.close();
});

describe("cached directory", () => {
  test("reads are served from the cache until the TTL passes; upserts write through", async () => {
    let clock = 1_000_000;
    const sql = createSqlDirectory(handle.db);
    const cached = cachedDirectory(sql, { ttlMs: 60_000, now: () => clock });
    const teamId = uniqueName("T");
    await cached.upsertWorkspace({ teamId, name: "Cache Co" });
    await cached.upsertUser({ teamId, userId: "U1", name: "ada" });
    expect((await cached.getUser(teamId, "U1"))?.name).toBe("ada");

    // Another process renames the user: this process keeps its copy for the TTL...
    await sql.upsertUser({ teamId, userId: "U1", name: "ada-renamed" });
    expect((await cached.getUser(teamId, "U1"))?.name).toBe("ada");
    clock += 60_001;
    // ...and reads the new name after it.
    expect((await cached.getUser(teamId, "U1"))?.name).toBe("ada-renamed");

    // A miss is remembered too (no query per message for an unknown channel), until written.
    expect(await cached.getChannel(teamId, "C1")).toBeUndefined();
    await sql.upsertChannel({ teamId, channelId: "C1", visibility: "public_channel" });
    expect(await cached.getChannel(teamId, "C1")).toBeUndefined();
    await cached.upsertChannel({ teamId, channelId: "C1", visibility: "private_channel" });
    expect((await cached.getChannel(teamId, "C1"))?.visibility).toBe("private_channel");
    expect((await cached.getWorkspace(teamId))?.name).toBe("Cache Co");
  });

  test("the cache is bounded: the oldest entry goes first", async () => {
    const sql = createSqlDirectory(handle.db);
    const cached = cachedDirectory(sql, { maxEntries: 2 });
    const teamId = uniqueName("T");
    await cached.upsertWorkspace({ teamId });
    for (const userId of ["U1", "U2", "U3"])
      await cached.upsertUser({ teamId, userId, name: userId });
    await sql.upsertUser({ teamId, userId: "U1", name: "changed" });
    await sql.upsertUser({ teamId, userId: "U3", name: "changed" });
    expect((await cached.getUser(teamId, "U1"))?.name).toBe("changed");
    expect((await cached.getUser(teamId, "U3"))?.name).toBe("U3");
  });
});
