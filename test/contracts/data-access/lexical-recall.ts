// Contract: lexical recall (MessageStore.lexical). Matches share a stemmed word with the query and
// stay within the recall scope; each brings the turns around it from its own channel; the word
// statistics follow every write; similarity is filled when a query embedding is given.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { parseTsvector } from "../../../core/src/adapters/sql/message-lexical";
import type { ChannelVisibility } from "../../../core/src/ports/slack-vocabulary";
import { queryRows } from "../../../db/query-rows";
import { type ContractContext, newChannel, newWorkspace } from "./context";
import { direction } from "./recall";

export function registerLexicalRecallContract(context: ContractContext): void {
  interface Place {
    teamId: string;
    channelId: string;
    visibility: ChannelVisibility;
  }

  async function place(teamId: string, visibility: ChannelVisibility): Promise<Place> {
    return { teamId, channelId: await newChannel(context, teamId, visibility), visibility };
  }

  /** Posting times a minute apart unless a test fixes them, so a channel's order is known. */
  let minute = 0;
  const nextMinute = () => new Date(Date.UTC(2024, 0, 1) + ++minute * 60_000);

  /** Like Slack's, a message's ts is its posting time (seconds), made unique by the fraction. */
  let unique = 0;
  const tsAt = (postedAt: Date) =>
    `${Math.floor(postedAt.getTime() / 1000)}.${String(++unique).padStart(6, "0")}`;

  function say(where: Place, text: string, postedAt = nextMinute()) {
    return context.access().messages.upsert({
      teamId: where.teamId,
      channelId: where.channelId,
      ts: tsAt(postedAt),
      userId: "U1",
      text,
      visibility: where.visibility,
      postedAt,
    });
  }

  /** The id at `i`; a missing one fails the test at once. */
  function idAt(ids: readonly number[], i: number): number {
    const id = ids[i];
    if (id === undefined) throw new Error(`no message at ${i}`);
    return id;
  }

  const scopeOf = (where: Place, limit = 10) => ({
    teamId: where.teamId,
    fromChannelId: where.channelId,
    limit,
  });

  test("lexical recall matches stemmed words within the scope only, never deleted messages", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const otherTeam = await newWorkspace(context);
    const here = await place(teamId, "private_channel");
    const hall = await place(teamId, "public_channel");
    const otherRoom = await place(teamId, "private_channel");
    const someonesDm = await place(teamId, "dm");
    const foreign = await place(otherTeam, "public_channel");

    const own = await say(here, "my cat sleeps on the sofa");
    const shared = await say(hall, "two cats chased a laser pointer");
    await say(hall, "the dog barked all night");
    const roomCat = await say(otherRoom, "the cat in the private room");
    const dmCat = await say(someonesDm, "a secret about my cat");
    const foreignCat = await say(foreign, "a cat from another workspace");
    const tombstone = await say(hall, "a deleted cat picture");
    await store.softDelete(tombstone, new Date());
    const erased = await say(here, "an erased cat story");
    await store.hardDelete(erased);

    const texts = async (from: Place, teamOf = from.teamId) => {
      const found = await store.lexical({ ...scopeOf(from), teamId: teamOf }, "Cats?", 0);
      return found.messages.map((hit) => hit.message.text).sort();
    };
    expect(await texts(here)).toEqual([own.text, shared.text].sort());
    expect(await texts(hall)).toEqual([shared.text]);
    expect(await texts(otherRoom)).toEqual([roomCat.text, shared.text].sort());
    expect(await texts(someonesDm)).toEqual([dmCat.text, shared.text].sort());
    expect(await texts(foreign)).toEqual([foreignCat.text]);
    // Another workspace's channel id asked within this workspace sees only this one's public rows.
    expect(await texts(foreign, teamId)).toEqual([shared.text]);

    const found = await store.lexical(scopeOf(here), "cats", 0);
    const hit = found.messages.find((m) => m.message.id === own.id);
    expect(hit).toEqual({
      message: own,
      terms: { cat: 1, sleep: 1, sofa: 1 },
      length: 3,
      similarity: null,
      previousId: null,
      nextId: null,
    });
  });

  test("a query word found only outside the scope does not hide the matches inside it", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const hall = await place(teamId, "public_channel");
    const someonesDm = await place(teamId, "dm");
    for (const text of ["my cat naps", "the cat purrs", "a cat yawns"]) await say(hall, text);
    await say(someonesDm, "the wifi password is under the router");
    const ids = async (query: string) =>
      (await store.lexical(scopeOf(hall), query, 0)).messages
        .map((m) => m.message.id)
        .sort((a, b) => a - b);
    // The DM's rare word must neither hide the hall's cats nor reveal that it exists.
    expect(await ids("cat password")).toEqual(await ids("cat"));
    expect(await ids("cat")).toHaveLength(3);
  });

  test("around brings the turns either side of a match from its own channel, linked in time order", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const hall = await place(teamId, "public_channel");
    const side = await place(teamId, "public_channel");
    const time = (minutes: number) => new Date(Date.UTC(2024, 1, 1, 12, 0, minutes * 60));
    // Stored out of time order, so ids do not follow time.
    const hallIds: number[] = [];
    for (const i of [6, 0, 3, 1, 5, 2, 4]) {
      const text = i === 3 ? "the zeppelin landed" : `hall turn number ${i}`;
      hallIds[i] = (await say(hall, text, time(i))).id;
    }
    const removed = await say(hall, "a removed turn", time(2.5));
    await store.softDelete(removed, new Date());
    await say(side, "side chatter before", time(2.75));
    await say(side, "side chatter after", time(3.25));
    const turn = (i: number) => idAt(hallIds, i);

    /** The window's ids in time order, each with the neighbours it is linked to. */
    const chain = async (around: number) => {
      const found = await store.lexical(scopeOf(hall), "Zeppelins?", around);
      return found.messages
        .sort((a, b) => a.message.postedAt.getTime() - b.message.postedAt.getTime())
        .map((m) => [m.previousId, m.message.id, m.nextId]);
    };
    expect(await chain(2)).toEqual([
      [null, turn(1), turn(2)],
      [turn(1), turn(2), turn(3)],
      [turn(2), turn(3), turn(4)],
      [turn(3), turn(4), turn(5)],
      [turn(4), turn(5), null],
    ]);
    expect(await chain(1)).toEqual([
      [null, turn(2), turn(3)],
      [turn(2), turn(3), turn(4)],
      [turn(3), turn(4), null],
    ]);

    // Two matches side by side: their windows overlap and still read as one run of turns.
    const dock = await place(teamId, "public_channel");
    const docked: number[] = [];
    for (const text of [
      "dock one",
      "dock two",
      "an airship moored",
      "the airship left",
      "dock five",
    ]) {
      docked.push((await say(dock, text)).id);
    }
    const found = await store.lexical(scopeOf(dock), "airships", 1);
    const links = new Map(found.messages.map((m) => [m.message.id, [m.previousId, m.nextId]]));
    const dockId = (i: number) => idAt(docked, i);
    expect(links).toEqual(
      new Map([
        [dockId(1), [null, dockId(2)]],
        [dockId(2), [dockId(1), dockId(3)]],
        [dockId(3), [dockId(2), dockId(4)]],
        [dockId(4), [dockId(3), null]],
      ]),
    );
  });

  test("word statistics follow inserts, edits, deletes and cascades, per workspace", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const otherTeam = await newWorkspace(context);
    const hall = await place(teamId, "public_channel");
    const attic = await place(teamId, "private_channel");
    const query = "cats, desks, lamps and rugs";
    const stats = async (where: Place) => {
      const { docs, tokens, lexemes } = await store.lexical(scopeOf(where), query, 0);
      return { docs, tokens, lexemes };
    };
    expect(await stats(hall)).toEqual({ docs: 0, tokens: 0, lexemes: {} });

    const first = await say(hall, "cat on the desk");
    const second = await say(attic, "cat cat lamp");
    const third = await say(hall, "desk lamp");
    await say(hall, "the"); // only stop words: not searchable, not counted
    await say(await place(otherTeam, "public_channel"), "cat cat cat desk");
    // Private messages count too: statistics are the workspace's, whoever may see the rows.
    const counted = { docs: 3, tokens: 7, lexemes: { cat: 2, desk: 2, lamp: 2 } };
    expect(await stats(hall)).toEqual(counted);

    const redelivery = { ...hall, ts: first.ts, userId: "U1", text: first.text };
    await store.upsert({ ...redelivery, postedAt: first.postedAt });
    expect(await stats(hall)).toEqual(counted);

    expect(await store.edit(first, "rug on the desk", new Date())).toBe(true);
    expect(await stats(hall)).toEqual({
      docs: 3,
      tokens: 7,
      lexemes: { cat: 1, desk: 2, lamp: 2, rug: 1 },
    });

    expect(await store.softDelete(third, new Date())).toBe(true);
    expect(await stats(hall)).toEqual({
      docs: 2,
      tokens: 5,
      lexemes: { cat: 1, desk: 1, lamp: 1, rug: 1 },
    });

    expect(await store.hardDelete(second)).toBe(true);
    expect(await stats(hall)).toEqual({ docs: 1, tokens: 2, lexemes: { desk: 1, rug: 1 } });

    const { db } = context.handle();
    await db.execute(
      sql`delete from channels where team_id = ${teamId} and channel_id = ${hall.channelId}`,
    );
    expect(await stats(attic)).toEqual({ docs: 0, tokens: 0, lexemes: {} });

    const elsewhere = await store.lexical(
      { teamId: otherTeam, fromChannelId: "C-none", limit: 10 },
      query,
      0,
    );
    expect([elsewhere.docs, elsewhere.tokens, elsewhere.lexemes]).toEqual([
      1,
      4,
      { cat: 1, desk: 1 },
    ]);
  });

  test("a word no message holds any more leaves no trace in the statistics", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const hall = await place(teamId, "public_channel");
    const said = await say(hall, "my passphrase is periwinkle");
    await say(hall, "lunch is at noon");
    const words = async () => {
      const rows = await queryRows<{ lexeme: string }>(
        context.handle().db,
        sql`select lexeme from lexeme_stats where team_id = ${teamId} order by lexeme`,
      );
      return rows.map((row) => row.lexeme);
    };
    const shards = async () =>
      (
        await queryRows<{ docs: number }>(
          context.handle().db,
          sql`select docs from lexeme_totals where team_id = ${teamId}`,
        )
      ).map((row) => Number(row.docs));
    expect(await words()).toEqual(["lunch", "noon", "passphras", "periwinkl"]);
    // What a forgotten or deleted message said must not stay in the database as its words.
    expect(await store.hardDelete(said)).toBe(true);
    expect(await words()).toEqual(["lunch", "noon"]);
    // Totals are kept in shards by message id; an emptied shard goes too.
    expect(await shards()).toEqual([1]);
  });

  test("with a query embedding, similarity is filled for embedded matches, null otherwise", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const orchard = await place(teamId, "public_channel");
    const close = await say(orchard, "apples in the orchard");
    const tilted = await say(orchard, "apple pie");
    const bare = await say(orchard, "apple juice");
    const neighbour = await say(orchard, "banana bread");
    await store.setEmbedding(teamId, close.id, direction(0, 1, 0), "test-embedder");
    await store.setEmbedding(teamId, tilted.id, direction(0, 1, 1), "test-embedder");
    await store.setEmbedding(teamId, neighbour.id, direction(1, 0, 0), "test-embedder");

    const similarities = async (embedding?: number[]) => {
      const found = await store.lexical(scopeOf(orchard), "apples", 1, embedding);
      return new Map(found.messages.map((m) => [m.message.id, m.similarity]));
    };
    const found = await similarities(direction(0, 1, 0));
    expect(new Set(found.keys())).toEqual(new Set([close.id, tilted.id, bare.id, neighbour.id]));
    expect(found.get(close.id)).toBeCloseTo(1, 5);
    expect(found.get(tilted.id)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(found.get(bare.id)).toBeNull();
    // A neighbour brought in by `around` (not a match) is not scored, even with a vector.
    expect(found.get(neighbour.id)).toBeNull();

    const without = await similarities();
    expect([...without.values()]).toEqual([null, null, null, null]);
  });

  test("a query whose words occur nowhere in scope finds nothing", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const hall = await place(teamId, "public_channel");
    await say(hall, "cat on the desk");
    await say(hall, "desk lamp");
    for (const query of ["xylophones and quasars", "the and of", "", "?!"]) {
      const found = await store.lexical(scopeOf(hall), query, 2);
      expect(found).toEqual({ docs: 2, tokens: 4, lexemes: {}, messages: [] });
    }
  });

  test("lexemes with quotes survive the query and the tsvector text (parseTsvector)", async () => {
    expect(parseTsvector("'cat':3,9 'miso':4")).toEqual({ terms: { cat: 2, miso: 1 }, length: 3 });
    expect(parseTsvector("'it''s':1 'nopos'")).toEqual({
      terms: { "it's": 1, nopos: 1 },
      length: 2,
    });
    expect(parseTsvector("'a\\\\b':2A,3 'x':1,5")).toEqual({
      terms: { "a\\b": 2, x: 2 },
      length: 4,
    });
    expect(parseTsvector("")).toEqual({ terms: {}, length: 0 });

    // The database's own text form of such a tsvector reads back the same.
    const [row] = await queryRows<{ text: string }>(
      context.handle().db,
      sql`select ${"'it''s':1 'nopos' 'a\\\\b':2A,3"}::tsvector::text as text`,
    );
    expect(parseTsvector(row?.text ?? "")).toEqual({
      terms: { "it's": 1, nopos: 1, "a\\b": 2 },
      length: 4,
    });

    // A URL with an apostrophe is one lexeme holding a quote, in the message and in the query.
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const hall = await place(teamId, "public_channel");
    const link = await say(hall, "see example.com/it's-here now");
    await say(hall, "see you later");
    const found = await store.lexical(scopeOf(hall), "example.com/it's-here", 0);
    expect(found.lexemes["example.com/it's-here"]).toBe(1);
    expect(found.messages.map((m) => m.message.id)).toEqual([link.id]);
    expect(found.messages[0]?.terms).toEqual({
      see: 1,
      "example.com/it's-here": 1,
      "example.com": 1,
      "/it's-here": 1,
    });
  });
}
