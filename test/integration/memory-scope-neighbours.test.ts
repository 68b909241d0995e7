/**
 * The visibility rule at the SQL adapters (ADR-022), on PostgreSQL: every turn recall returns
 * passes it, neighbouring turns included, even where a message's copied visibility disagrees
 * with its neighbours'; `memberOf` limits every recall query and profile facts; and a message
 * stored while its channel is being converted takes the channel row's new visibility.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createSqlDerivedMemory } from "../../core/src/adapters/sql/derived-memory";
import { createSqlDirectory } from "../../core/src/adapters/sql/directory";
import { createSqlMessageStore } from "../../core/src/adapters/sql/message-store";
import type { RecallScope, StoredMessage } from "../../core/src/ports/message-store";
import type { ChannelVisibility } from "../../core/src/ports/slack-vocabulary";
import { createDb, type DbHandle } from "../../db/client";
import { fakeEmbedding } from "../fakes/openai";
import { uniqueName } from "../setup/isolation";

let handle: DbHandle;
let seconds = 1_750_000_000;
function nextTs(): string {
  seconds += 1;
  return `${seconds}.000200`;
}

beforeAll(() => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set (test/setup/preload.ts)");
  handle = createDb({ databaseUrl, dataDir: "memory://", embeddingDimensions: 512 });
});

afterAll(async () => {
  await handle?.close();
});

async function world() {
  const teamId = uniqueName("TVIS");
  const directory = createSqlDirectory(handle.db);
  const store = createSqlMessageStore(handle.db);
  await directory.upsertWorkspace({ teamId });
  const channel = async (channelId: string, visibility: ChannelVisibility = "public_channel") => {
    await directory.upsertChannel({ teamId, channelId, visibility });
    return channelId;
  };
  const say = async (channelId: string, text: string) => {
    const stored = await store.upsert({
      teamId,
      channelId,
      ts: nextTs(),
      userId: "U1",
      text,
      postedAt: new Date(),
    });
    await store.setEmbedding(teamId, stored.id, fakeEmbedding(text, 512), "test");
    return stored;
  };
  return { teamId, directory, store, channel, say };
}

const texts = (messages: StoredMessage[]) => messages.map((m) => m.text);

describe("neighbouring turns pass the visibility rule themselves", () => {
  test("a neighbour whose copied visibility is private stays out of another conversation's recall", async () => {
    const w = await world();
    const room = await w.channel("C0ROOM");
    const asking = await w.channel("C0ASKING");
    await w.say(room, "who has the badger key?");
    const hidden = await w.say(room, "it is under canaryneighbour mat");
    await w.say(room, "the badger key is with facilities");
    // A copy out of step with its channel (what a lost update or a half-applied change leaves).
    await handle.db.execute(
      sql`update messages set visibility = 'private_channel' where id = ${hidden.id}`,
    );
    const recall = await w.store.lexical(
      { teamId: w.teamId, fromChannelId: asking, limit: 10 },
      "badger key",
      2,
    );
    const all = recall.messages.map((m) => m.message);
    expect(texts(all)).toContain("the badger key is with facilities");
    expect(texts(all)).not.toContain(hidden.text);
    // Asked inside the room itself, it is there.
    const inside = await w.store.lexical(
      { teamId: w.teamId, fromChannelId: room, limit: 10 },
      "badger key",
      2,
    );
    expect(texts(inside.messages.map((m) => m.message))).toContain(hidden.text);
  });
});

describe("memberOf limits every recall query and profile facts", () => {
  test("nearest, lexical (with neighbours), search and factsAbout", async () => {
    const w = await world();
    const mine = await w.channel("C0MINE");
    const theirs = await w.channel("C0THEIRS");
    const asking = await w.channel("C0ASK2");
    const visible = await w.say(mine, "the walrus budget is approved");
    const secret = await w.say(theirs, "the walrus budget is canarymember");
    const scope: RecallScope = {
      teamId: w.teamId,
      fromChannelId: asking,
      memberOf: [mine, asking],
      limit: 10,
    };
    const everyone: RecallScope = { ...scope, memberOf: undefined };
    delete everyone.memberOf;
    const vector = fakeEmbedding("walrus budget", 512);
    const near = texts((await w.store.nearest(scope, vector)).map((hit) => hit.message));
    const lexical = texts(
      (await w.store.lexical(scope, "walrus budget", 2)).messages.map((m) => m.message),
    );
    const search = texts((await w.store.search(scope, "walrus budget")).map((hit) => hit.message));
    for (const found of [near, lexical, search]) {
      expect(found).toContain(visible.text);
      expect(found).not.toContain(secret.text);
    }
    expect(
      texts((await w.store.search(everyone, "walrus budget")).map((h) => h.message)),
    ).toContain(secret.text);

    const derived = createSqlDerivedMemory(handle.db);
    await derived.addFact({
      teamId: w.teamId,
      userId: "U1",
      fact: "plans walruses",
      sourceMessageIds: [visible.id],
    });
    await derived.addFact({
      teamId: w.teamId,
      userId: "U1",
      fact: "canary fact",
      sourceMessageIds: [secret.id],
    });
    expect((await derived.factsAbout(w.teamId, "U1", asking, 10, [mine])).sort()).toEqual([
      "plans walruses",
    ]);
    expect((await derived.factsAbout(w.teamId, "U1", asking, 10)).sort()).toEqual([
      "canary fact",
      "plans walruses",
    ]);
    // Facts follow a conversion at once: their sources' visibility is read now.
    await w.directory.setChannelVisibility(w.teamId, theirs, "private_channel");
    expect(await derived.factsAbout(w.teamId, "U1", asking, 10)).toEqual(["plans walruses"]);
  });

  test("a fact whose every source is gone shows nowhere (nothing bounds where it may)", async () => {
    const w = await world();
    const dm = await w.channel("D0FACTSRC", "dm");
    const asking = await w.channel("C0ASK3");
    const said = await w.say(dm, "my salary is canarysalary");
    const derived = createSqlDerivedMemory(handle.db);
    await derived.addFact({
      teamId: w.teamId,
      userId: "U1",
      fact: "earns canarysalary",
      sourceMessageIds: [said.id],
    });
    await derived.addFact({
      teamId: w.teamId,
      userId: "U1",
      fact: "unsourced",
      sourceMessageIds: [],
    });
    expect(await derived.factsAbout(w.teamId, "U1", dm, 10)).toEqual(["earns canarysalary"]);
    expect(await derived.factsAbout(w.teamId, "U1", asking, 10)).toEqual([]);
    // The DM message removed for good: its source link goes with it (cascade).
    await w.store.hardDelete({ teamId: w.teamId, channelId: dm, ts: said.ts });
    expect(await derived.factsAbout(w.teamId, "U1", asking, 10)).toEqual([]);
    expect(await derived.factsAbout(w.teamId, "U1", dm, 10)).toEqual([]);
  });
});

describe("a conversion and message inserts racing", () => {
  test("messages stored during a conversion all end up with the channel's new visibility", async () => {
    const w = await world();
    const room = await w.channel("C0RACE");
    for (let i = 0; i < 20; i += 1) await w.say(room, `before ${i}`);
    const inserts = Array.from({ length: 40 }, (_, i) =>
      w.store.upsert({
        teamId: w.teamId,
        channelId: room,
        ts: nextTs(),
        userId: "U1",
        text: `during ${i}`,
        postedAt: new Date(),
      }),
    );
    const conversion = w.directory.setChannelVisibility(w.teamId, room, "private_channel");
    await Promise.all([...inserts, conversion]);
    // A late delivery of a message from before the conversion, claiming the channel is public.
    await w.store.upsert({
      teamId: w.teamId,
      channelId: room,
      ts: nextTs(),
      userId: "U1",
      text: "late",
      visibility: "public_channel",
      postedAt: new Date(),
    });
    const all = await w.store.recentInChannel(w.teamId, room, 100);
    expect(all).toHaveLength(61);
    expect([...new Set(all.map((m) => m.visibility))]).toEqual(["private_channel"]);
  });
});
