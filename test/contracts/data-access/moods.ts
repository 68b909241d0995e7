// Contract: a conversation's mood is saved only over the version the writer read (no lost
// update), transitions are kept with their reasons and triggers, and nothing crosses workspaces.
import { expect, test } from "bun:test";
import { type ContractContext, newChannel, newWorkspace, nextTs } from "./context";

export function registerMoodsContract(context: ContractContext): void {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 9, minute));

  test("moods: first save inserts, later saves need the version they read", async () => {
    const { moods } = context.access();
    const teamId = await newWorkspace(context);
    const channelId = await newChannel(context, teamId, "public_channel");
    expect(await moods.load(teamId, channelId)).toBeUndefined();

    const state = { mood: "friendly", since: 1, decayFrom: 1, recent: { positive: [1] } };
    const first = await moods.save(
      teamId,
      channelId,
      0,
      { mood: "friendly", since: at(1), state, reason: "thanked" },
      [{ from: "neutral", to: "friendly", reason: "thanked", at: at(1), messageTs: "1.000001" }],
    );
    expect(first).toBe(1);
    // A second writer that also read "nothing stored" loses, and changes nothing.
    expect(
      await moods.save(
        teamId,
        channelId,
        0,
        {
          mood: "sarcastic",
          since: at(2),
          state: {},
          reason: null,
        },
        [{ from: "neutral", to: "sarcastic", reason: "lost race", at: at(2) }],
      ),
    ).toBeUndefined();
    expect(
      await moods.save(
        teamId,
        channelId,
        7,
        { mood: "sarcastic", since: at(2), state: {}, reason: null },
        [],
      ),
    ).toBeUndefined();

    const loaded = await moods.load(teamId, channelId);
    expect(loaded).toEqual({ mood: "friendly", since: at(1), state, version: 1 });

    expect(
      await moods.save(
        teamId,
        channelId,
        1,
        { mood: "enthusiastic", since: at(3), state: { mood: "enthusiastic" }, reason: "engaged" },
        [
          {
            from: "friendly",
            to: "enthusiastic",
            reason: "3 engaged replies",
            at: at(3),
            eventId: "Ev1",
          },
        ],
      ),
    ).toBe(2);
    const history = await moods.history(teamId, channelId, 10);
    expect(history.map((h) => [h.from, h.to, h.reason])).toEqual([
      ["friendly", "enthusiastic", "3 engaged replies"],
      ["neutral", "friendly", "thanked"],
    ]);
    expect(history[0]).toMatchObject({ eventId: "Ev1", messageTs: null, at: at(3) });
    expect(history[1]).toMatchObject({ messageTs: "1.000001", eventId: null });
    expect(await moods.history(teamId, channelId, 1)).toHaveLength(1);
  });

  test("moods: transitions remember who triggered them, listed per person across conversations", async () => {
    const { moods } = context.access();
    const teamId = await newWorkspace(context);
    const otherTeam = await newWorkspace(context);
    const general = await newChannel(context, teamId, "public_channel");
    const dm = await newChannel(context, teamId, "dm");
    const elsewhere = await newChannel(context, otherTeam, "public_channel");
    const move = (
      team: string,
      channelId: string,
      version: number,
      minute: number,
      userId: string | null,
    ) =>
      moods.save(
        team,
        channelId,
        version,
        { mood: "friendly", since: at(minute), state: {}, reason: "r" },
        [
          {
            from: "neutral",
            to: "friendly",
            reason: `at ${minute}`,
            at: at(minute),
            messageTs: userId ? `1.00000${minute}` : null,
            userId,
          },
        ],
      );
    await move(teamId, general, 0, 1, "U1");
    await move(teamId, general, 1, 2, "U2");
    await move(teamId, dm, 0, 3, "U1");
    await move(teamId, general, 2, 4, null);
    await move(otherTeam, elsewhere, 0, 5, "U1");

    const mine = await moods.transitionsTriggeredBy(teamId, "U1", 10);
    expect(mine.map((t) => [t.channelId, t.reason, t.messageTs, t.userId])).toEqual([
      [dm, "at 3", "1.000003", "U1"],
      [general, "at 1", "1.000001", "U1"],
    ]);
    expect(await moods.transitionsTriggeredBy(teamId, "U1", 1)).toHaveLength(1);
    expect((await moods.transitionsTriggeredBy(teamId, "U2", 10)).map((t) => t.reason)).toEqual([
      "at 2",
    ]);
    // The conversation's history (`/pup mood`, shown to anyone there) does not name who.
    const history = await moods.history(teamId, general, 10);
    expect(history.map((t) => t.reason)).toEqual(["at 4", "at 2", "at 1"]);
    expect(history.every((t) => t.userId === undefined)).toBe(true);
  });

  test("messages: recentByAuthor gives one user's live messages in every conversation, paged", async () => {
    const { messages } = context.access();
    const teamId = await newWorkspace(context);
    const otherTeam = await newWorkspace(context);
    const general = await newChannel(context, teamId, "public_channel");
    const dm = await newChannel(context, teamId, "dm");
    const elsewhere = await newChannel(context, otherTeam, "public_channel");
    const say = (team: string, channel: string, userId: string, text: string, minute: number) =>
      messages.upsert({
        teamId: team,
        channelId: channel,
        ts: nextTs(),
        userId,
        text,
        visibility: channel === dm ? "dm" : "public_channel",
        postedAt: at(minute),
      });
    await say(teamId, general, "U1", "first", 1);
    await say(teamId, dm, "U1", "in a dm", 2);
    await say(teamId, general, "U2", "someone else", 3);
    const deleted = await say(teamId, general, "U1", "deleted", 4);
    await messages.softDelete(deleted, at(5));
    await say(otherTeam, elsewhere, "U1", "another workspace", 6);
    await say(teamId, general, "U1", "latest", 7);

    const all = await messages.recentByAuthor(teamId, "U1", 10);
    expect(all.map((m) => m.text)).toEqual(["latest", "in a dm", "first"]);
    expect((await messages.recentByAuthor(teamId, "U1", 2)).map((m) => m.text)).toEqual([
      "latest",
      "in a dm",
    ]);
    expect((await messages.recentByAuthor(teamId, "U1", 2, 2)).map((m) => m.text)).toEqual([
      "first",
    ]);
  });

  test("moods: conversations and workspaces are separate", async () => {
    const { moods } = context.access();
    const teamA = await newWorkspace(context);
    const teamB = await newWorkspace(context);
    const channelId = await newChannel(context, teamA, "public_channel");
    await moods.save(
      teamA,
      channelId,
      0,
      { mood: "sarcastic", since: at(5), state: {}, reason: "x" },
      [{ from: "neutral", to: "sarcastic", reason: "the same question 2 times", at: at(5) }],
    );
    expect(await moods.load(teamB, channelId)).toBeUndefined();
    expect(await moods.history(teamB, channelId, 10)).toEqual([]);
    expect(await moods.load(teamA, `${channelId}X`)).toBeUndefined();
  });

  test("messages: recentFromUser gives one user's live messages since a time, newest first", async () => {
    const { messages } = context.access();
    const teamId = await newWorkspace(context);
    const channelId = await newChannel(context, teamId, "public_channel");
    const other = await newChannel(context, teamId, "public_channel");
    const say = (channel: string, userId: string, text: string, minute: number) =>
      messages.upsert({
        teamId,
        channelId: channel,
        ts: nextTs(),
        userId,
        text,
        visibility: "public_channel",
        postedAt: at(minute),
      });
    await say(channelId, "U1", "too old", 0);
    const first = await say(channelId, "U1", "where is the wiki?", 10);
    await say(channelId, "U2", "someone else", 11);
    await say(other, "U1", "another channel", 12);
    const deleted = await say(channelId, "U1", "deleted one", 13);
    await messages.softDelete(deleted, at(14));
    const latest = await say(channelId, "U1", "where's the wiki again?", 15);
    await messages.setEmbedding(
      teamId,
      first.id,
      Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0)),
      "test",
    );

    const found = await messages.recentFromUser(teamId, channelId, "U1", at(5), 10);
    expect(found.map((m) => m.text)).toEqual(["where's the wiki again?", "where is the wiki?"]);
    expect(found[0]?.ts).toBe(latest.ts);
    expect(found[0]?.embedding).toBeNull();
    expect(found[1]?.embedding?.[0]).toBeCloseTo(1);
    expect(found[1]?.embedding).toHaveLength(512);
    expect(await messages.recentFromUser(teamId, channelId, "U1", at(5), 1)).toHaveLength(1);
  });
}
