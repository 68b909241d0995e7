// Contract: the message projection (insert, duplicate, edit, delete, threads, recency) and the
// rule that deleted text is gone from the full-text index.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import type { MessageInput } from "../../../core/src/ports/message-store";
import { queryRows } from "../../../db/query-rows";
import { type ContractContext, newChannel, newWorkspace, nextTs } from "./context";

export function registerMessagesContract(context: ContractContext): void {
  const message = (
    teamId: string,
    channelId: string,
    text: string,
    extra: Partial<MessageInput> = {},
  ) => {
    const ts = extra.ts ?? nextTs();
    return {
      teamId,
      channelId,
      ts,
      userId: "U1",
      text,
      visibility: "public_channel" as const,
      postedAt: new Date(Number(ts.split(".")[0]) * 1000 + Number(ts.split(".")[1]) / 1000),
      ...extra,
    };
  };

  test("upsert projects a message once; edits clear the embedding; deletes stay deleted", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const channelId = await newChannel(context, teamId, "public_channel");
    const input = message(teamId, channelId, "the build is green");

    const first = await store.upsert(input);
    const duplicate = await store.upsert(input);
    expect(duplicate.id).toBe(first.id);
    expect(first).toMatchObject({ text: "the build is green", threadTs: null, deletedAt: null });

    await store.setEmbedding(teamId, first.id, Array(512).fill(0.1), "test-model");
    const editedAt = new Date("2023-11-14T22:15:00Z");
    expect(await store.edit(input, "the build is red", editedAt)).toBe(true);
    const edited = await store.find(input);
    expect(edited?.text).toBe("the build is red");
    expect(edited?.editedAt?.toISOString()).toBe(editedAt.toISOString());
    const [embedding] = await queryRows<{ cleared: boolean }>(
      context.handle().db,
      sql`select embedding is null as cleared from messages where id = ${first.id}`,
    );
    expect(embedding?.cleared).toBe(true);

    expect(await store.softDelete(input, new Date())).toBe(true);
    expect(await store.softDelete(input, new Date())).toBe(false);
    expect(await store.edit(input, "resurrected?", new Date())).toBe(false);
    await store.upsert(input);
    const tombstone = await store.find(input);
    expect(tombstone?.deletedAt).not.toBeNull();
    expect(tombstone?.text).toBe("");

    expect(await store.hardDelete(input)).toBe(true);
    expect(await store.find(input)).toBeUndefined();
  });

  test("threads and recent messages come back oldest to newest, without deleted ones", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const channelId = await newChannel(context, teamId, "private_channel");
    const root = message(teamId, channelId, "root");
    await store.upsert(root);
    const reply1 = message(teamId, channelId, "reply one", { threadTs: root.ts });
    const reply2 = message(teamId, channelId, "reply two", { threadTs: root.ts });
    const gone = message(teamId, channelId, "reply deleted", { threadTs: root.ts });
    const later = message(teamId, channelId, "unrelated, later");
    for (const m of [reply1, reply2, gone, later]) await store.upsert(m);
    await store.softDelete(gone, new Date());

    const thread = await store.thread(teamId, channelId, root.ts);
    expect(thread.map((m) => m.text)).toEqual(["root", "reply one", "reply two"]);
    const recent = await store.recentInChannel(teamId, channelId, 2);
    expect(recent.map((m) => m.text)).toEqual(["reply two", "unrelated, later"]);
    expect(await store.recentInChannel(teamId, "C_OTHER", 10)).toEqual([]);
    expect(await store.thread("T_OTHER", channelId, root.ts)).toEqual([]);
  });

  test("full-text search finds words, and a deleted message is no longer searchable", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const channelId = await newChannel(context, teamId, "public_channel");
    const kept = message(teamId, channelId, "Deploying the penguin service to staging");
    const removed = message(teamId, channelId, "The penguin password is hunter2");
    await store.upsert(kept);
    await store.upsert(removed);
    const scope = { teamId, fromChannelId: channelId, limit: 10 };

    expect((await store.search(scope, "penguins")).map((r) => r.message.ts).sort()).toEqual(
      [kept.ts, removed.ts].sort(),
    );
    await store.softDelete(removed, new Date());
    const afterDelete = await store.search(scope, "penguin");
    expect(afterDelete.map((r) => r.message.ts)).toEqual([kept.ts]);
    expect(await store.search(scope, "hunter2")).toEqual([]);

    // Not just filtered out: the words are gone from the stored row and its index.
    const [row] = await queryRows<{ text: string; search: string }>(
      context.handle().db,
      sql`select text, search::text as search from messages
          where team_id = ${teamId} and ts = ${removed.ts}`,
    );
    expect(row).toEqual({ text: "", search: "" });
    expect(await store.search({ ...scope, teamId: "T_OTHER" }, "penguin")).toEqual([]);
  });

  test("findMany reads many refs in one call; setEmbeddings stores only live, unchanged rows", async () => {
    const store = context.access().messages;
    const teamId = await newWorkspace(context);
    const otherTeam = await newWorkspace(context);
    const channelId = await newChannel(context, teamId, "public_channel");
    const otherChannel = await newChannel(context, otherTeam, "public_channel");
    const inputs = [
      message(teamId, channelId, "plain words"),
      message(teamId, channelId, 'quotes " and \\ backslashes, {braces}, NULL'),
      message(teamId, channelId, "soon deleted"),
      message(teamId, channelId, "soon edited"),
      message(teamId, channelId, "never embedded"),
    ];
    const stored = [];
    for (const input of inputs) stored.push(await store.upsert(input));
    const foreign = await store.upsert(message(otherTeam, otherChannel, "another workspace"));
    const [plain, quoted, deleted, edited, untouched] = stored;
    if (!plain || !quoted || !deleted || !edited || !untouched) throw new Error("upsert failed");

    const refs = [...inputs, { teamId: otherTeam, channelId: otherChannel, ts: foreign.ts }];
    const missing = { teamId, channelId, ts: nextTs() };
    const found = await store.findMany([...refs, missing]);
    expect(found.map((m) => m.id).sort((a, b) => a - b)).toEqual(
      [...stored, foreign].map((m) => m.id).sort((a, b) => a - b),
    );
    expect(found.find((m) => m.id === quoted.id)?.text).toBe(quoted.text);
    expect(await store.findMany([])).toEqual([]);

    await store.softDelete(inputs[2] as MessageInput, new Date());
    await store.edit(inputs[3] as MessageInput, "edited meanwhile", new Date());
    const vector = (seed: number) => Array.from({ length: 512 }, (_, i) => ((i + seed) % 7) / 7);
    const count = await store.setEmbeddings(
      teamId,
      [
        { messageId: plain.id, embedding: vector(1), text: plain.text },
        { messageId: quoted.id, embedding: vector(2), text: quoted.text },
        { messageId: deleted.id, embedding: vector(3), text: deleted.text },
        { messageId: edited.id, embedding: vector(4), text: edited.text },
        // Another workspace's row is out of this call's scope; a vanished id is skipped.
        { messageId: foreign.id, embedding: vector(5) },
        { messageId: 2 ** 40, embedding: vector(6) },
      ],
      "batch-model",
    );
    expect(count).toBe(2);
    expect(await store.setEmbeddings(teamId, [], "batch-model")).toBe(0);

    const rows = await queryRows<{ id: number; model: string | null; first: number | null }>(
      context.handle().db,
      sql`select id::int as id, embedding_model as model,
            (embedding::real[])[2] as first
          from messages where id in (${plain.id}, ${quoted.id}, ${deleted.id}, ${edited.id},
            ${untouched.id}, ${foreign.id}) order by id`,
    );
    expect(rows.map((r) => [r.id, r.model])).toEqual([
      [plain.id, "batch-model"],
      [quoted.id, "batch-model"],
      [deleted.id, null],
      [edited.id, null],
      [untouched.id, null],
      [foreign.id, null],
    ]);
    // Each row got its own vector (element 2 of vector(seed) is ((1 + seed) % 7) / 7).
    expect(rows[0]?.first).toBeCloseTo(2 / 7, 5);
    expect(rows[1]?.first).toBeCloseTo(3 / 7, 5);

    // Without `text`, an item is stored whatever the row says now; setEmbedding delegates.
    expect(
      await store.setEmbeddings(teamId, [{ messageId: edited.id, embedding: vector(4) }], "m"),
    ).toBe(1);
    expect(await store.setEmbedding(teamId, untouched.id, vector(5), "single")).toBe(true);
    expect(await store.setEmbedding(teamId, deleted.id, vector(5), "single")).toBe(false);
    // With the text it was computed from, a vector for text the row no longer holds is dropped.
    const { text } = untouched;
    expect(await store.setEmbedding(teamId, untouched.id, vector(6), "one", `${text}!`)).toBe(
      false,
    );
    expect(await store.setEmbedding(teamId, untouched.id, vector(6), "one", text)).toBe(true);
  });
}
