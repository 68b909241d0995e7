// Contract: vector recall never crosses workspaces, respects conversation visibility, and still
// returns k rows when k visible rows exist even if many closer rows are filtered out.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createSqlMessageStore } from "../../../core/src/adapters/sql/message-store";
import type { ChannelVisibility } from "../../../core/src/ports/slack-vocabulary";
import type { Database } from "../../../db/client";
import { queryRows } from "../../../db/query-rows";
import { type ContractContext, newChannel, newWorkspace, nextTs } from "./context";

const DIMENSIONS = 512;

/** A unit-length vector leaning towards axis `main`, tilted by `tilt` towards axis `side`. */
export function direction(main: number, side: number, tilt: number): number[] {
  const vector = Array<number>(DIMENSIONS).fill(0);
  vector[main] = 1;
  vector[side] = tilt;
  const norm = Math.hypot(1, tilt);
  return vector.map((x) => x / norm);
}

/** Deterministic values in [-0.5, 0.5), so a failure reproduces. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}

export function registerRecallContract(context: ContractContext): void {
  async function addEmbedded(
    teamId: string,
    channelId: string,
    visibility: ChannelVisibility,
    text: string,
    embedding: number[],
  ) {
    const store = context.access().messages;
    const stored = await store.upsert({
      teamId,
      channelId,
      ts: nextTs(),
      userId: "U1",
      text,
      visibility,
      postedAt: new Date(),
    });
    await store.setEmbedding(teamId, stored.id, embedding, "test-embedder");
    return stored;
  }

  test("nearest stays in the workspace and sees only public channels and its own conversation", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const otherTeam = await newWorkspace(context);
    const here = await newChannel(context, teamId, "private_channel");
    const publicChannel = await newChannel(context, teamId, "public_channel");
    const someoneElsesDm = await newChannel(context, teamId, "dm");
    const foreign = await newChannel(context, otherTeam, "public_channel");

    const query = direction(0, 1, 0);
    await addEmbedded(otherTeam, foreign, "public_channel", "foreign twin", direction(0, 1, 0));
    await addEmbedded(teamId, someoneElsesDm, "dm", "secret twin", direction(0, 1, 0.01));
    const own = await addEmbedded(teamId, here, "private_channel", "own", direction(0, 1, 0.2));
    const shared = await addEmbedded(
      teamId,
      publicChannel,
      "public_channel",
      "public",
      direction(0, 1, 0.5),
    );
    await addEmbedded(teamId, publicChannel, "public_channel", "far", direction(3, 1, 0.1));

    const found = await store.nearest({ teamId, fromChannelId: here, limit: 2 }, query);
    expect(found.map((r) => r.message.text)).toEqual(["own", "public"]);
    expect(found[0]?.score).toBeLessThan(found[1]?.score ?? 0);
    expect(found.map((r) => r.message.id)).toEqual([own.id, shared.id]);

    const fromPublic = await store.nearest(
      { teamId, fromChannelId: publicChannel, limit: 5 },
      query,
    );
    expect(fromPublic.map((r) => r.message.text)).toEqual(["public", "far"]);
  });

  test("a filtered HNSW scan still returns k rows when k visible rows exist", async () => {
    const teamId = await newWorkspace(context);
    const here = await newChannel(context, teamId, "public_channel");
    const elsewhere = await newChannel(context, teamId, "private_channel");
    // Random directions (a degenerate, axis-aligned set makes a poorly connected HNSW graph).
    // The 60 hidden rows are all closer to the query than the 5 visible ones.
    const random = seededRandom(42);
    const query = Array.from({ length: DIMENSIONS }, random);
    const around = (spread: number) => query.map((x) => x + random() * spread);
    for (let i = 0; i < 60; i += 1) {
      await addEmbedded(teamId, elsewhere, "private_channel", `hidden ${i}`, around(0.5));
    }
    const visible = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      await addEmbedded(teamId, here, "public_channel", `visible ${i}`, around(2));
      visible.add(`visible ${i}`);
    }
    const scope = { teamId, fromChannelId: here, limit: 5 };

    const { db } = context.handle();
    await db.transaction(async (tx) => {
      // Force the HNSW index (the only plan that yields rows in distance order without a sort)
      // and a tiny candidate list, so only pgvector's iterative scan can find all 5.
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_sort = off`);
      await tx.execute(sql`set local hnsw.ef_search = 10`);
      const plan = await queryRows<{ "QUERY PLAN": string }>(
        tx,
        sql`explain select id from messages where team_id = ${teamId} and deleted_at is null
            order by embedding <=> ${JSON.stringify(query)} limit 5`,
      );
      expect(plan.map((line) => line["QUERY PLAN"]).join("\n")).toContain(
        "messages_embedding_hnsw_idx",
      );
      const store = createSqlMessageStore(tx as unknown as Database);
      const found = await store.nearest(scope, query);
      expect(new Set(found.map((r) => r.message.text))).toEqual(visible);
      const scores = found.map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => a - b));
    });
  });
}
