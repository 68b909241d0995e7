/**
 * Two people with a past in one workspace, for "forget me": Alice (who will be forgotten) and
 * Bob, in a public channel, a private channel and Alice's DM with pup. Their messages (with
 * vectors), the event log's payloads (messages, an edit, a deletion, a command, a button, a
 * thread notice, pup's echoed reply), pup's replies, summaries, profile facts, mood history,
 * an archived message and the statistics view. Every sentence holds a word no other test says.
 */
import type { ForgetWorld } from "./fixture";
import {
  embedding,
  eventDelivery,
  logged,
  oddWord,
  PUP,
  PUP_BOT,
  tsAt,
  workspaceWith,
} from "./fixture";
import { DM, logAlicePayloads, PRIVATE, PUBLIC } from "./seed-payloads";

export { DM, PRIVATE, PUBLIC };

const BEFORE = new Date(Date.UTC(2026, 5, 1, 12, 0));
const later = (minutes: number) => new Date(BEFORE.getTime() + minutes * 60_000);

export interface People {
  teamId: string;
  alice: string;
  bob: string;
  /** Alice's words: every sentence and her odd words (needles for the residue scan). */
  aliceNeedles: string[];
  /** Words only Alice said (her odd words): none may stay in the word statistics. */
  aliceWords: string[];
  /** Bob's words, which must all stay. */
  bobNeedles: string[];
  bobWord: string;
  /** Alice's message ids and refs by name. */
  aliceIds: Record<"public" | "private" | "dm" | "edited", number>;
  bobIds: Record<"public" | "private", number>;
  /** pup's replies: to Alice in her DM, and to Bob in public. */
  replies: { toAlice: string; toBob: string };
  aliceReplySendKey: string;
  facts: Record<"aliceOwn" | "bobFromAlice" | "bobFromBoth" | "bobOwn", number>;
  summaries: Record<"mixed" | "bobOnly", number>;
  /** Bob's payload that mentions Alice (a rich-text mention): it must stay. */
  bobMentionEvent: string;
}

export async function seedPeople(world: ForgetWorld): Promise<People> {
  const { store, sql } = world;
  const teamId = await workspaceWith(world, {
    [PUBLIC]: "public_channel",
    [PRIVATE]: "private_channel",
    [DM]: "dm",
  });
  const alice = `U0A${oddWord().toUpperCase()}`;
  const bob = `U0B${oddWord().toUpperCase()}`;
  const aliceName = oddWord();
  await store.directory.upsertUser({ teamId, userId: alice, name: aliceName, realName: aliceName });
  await store.directory.upsertUser({ teamId, userId: bob, name: "bob" });
  const aliceWords = [oddWord(), oddWord(), oddWord(), oddWord(), oddWord(), oddWord()];
  const [wPublic, wPrivate, wDm, wEdited, wDeleted, wCommand] = aliceWords as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const bobWord = oddWord();
  const said = {
    public: `alice thinks the ${wPublic} plan is good`,
    private: `alice whispers about ${wPrivate} in private`,
    dm: `alice tells pup her secret ${wDm}`,
    edited: `alice first wrote ${wEdited}`,
    deleted: `alice regrets saying ${wDeleted}`,
    command: `remember ${wCommand}`,
    bobPublic: `bob agrees about the ${bobWord} budget`,
    bobPrivate: `bob keeps the ${bobWord} notes`,
  };

  let hot = 0;
  const store1 = async (
    channelId: string,
    userId: string,
    text: string,
    at: Date,
    eventId: string,
    event: Record<string, unknown> = {},
  ) => {
    const ts = tsAt(at);
    const id = await logged(
      world,
      eventDelivery(teamId, eventId, at, {
        type: "message",
        user: userId,
        text,
        ts,
        channel: channelId,
        ...event,
      }),
    );
    const stored = await store.messages.upsert({
      teamId,
      channelId,
      ts,
      userId,
      text,
      postedAt: at,
      sourceEventId: id,
    });
    hot += 1;
    await store.messages.setEmbedding(teamId, stored.id, embedding(hot), "test-embedder", text);
    return { id: stored.id, ts };
  };
  const aPublic = await store1(PUBLIC, alice, said.public, later(1), `EvA1${teamId}`);
  const aPrivate = await store1(PRIVATE, alice, said.private, later(2), `EvA2${teamId}`);
  const aDm = await store1(DM, alice, said.dm, later(3), `EvA3${teamId}`);
  const aEdited = await store1(PUBLIC, alice, said.edited, later(4), `EvA4${teamId}`);
  const bPublic = await store1(PUBLIC, bob, said.bobPublic, later(5), `EvB1${teamId}`, {
    // A rich-text mention of Alice in Bob's message: his payload, which must stay.
    blocks: [
      {
        type: "rich_text",
        elements: [{ type: "rich_text_section", elements: [{ type: "user", user_id: alice }] }],
      },
    ],
  });
  const bPrivate = await store1(PRIVATE, bob, said.bobPrivate, later(6), `EvB2${teamId}`);

  // Alice edits a message, deletes another (only its payloads are left), sends a command and
  // presses a button; a thread notice quotes her message under Bob's reply.
  const editedText = await logAlicePayloads(world, {
    teamId,
    alice,
    bob,
    aliceName,
    said,
    wEdited,
    wCommand,
    edited: aEdited.ts,
    public: aPublic.ts,
    at: later,
  });

  // pup answers Alice in her DM (quoting her) and Bob in public; Slack echoes pup's DM reply.
  const reply = async (
    channelId: string,
    to: { ts: string },
    eventId: string,
    text: string,
    at: Date,
  ) => {
    const sendKey = `reply:${channelId}:${to.ts}`;
    await store.botReplies.claim({
      teamId,
      sendKey,
      channelId,
      threadTs: to.ts,
      triggerEventId: eventId,
    });
    const replyTs = tsAt(at);
    await store.botReplies.recordSent(teamId, sendKey, {
      replyTs,
      model: "m",
      promptTokens: 9,
      completionTokens: 3,
    });
    await store.messages.upsert({
      teamId,
      channelId,
      ts: replyTs,
      threadTs: to.ts,
      userId: PUP,
      botId: PUP_BOT,
      text,
      postedAt: at,
    });
    return { replyTs, sendKey };
  };
  const toAlice = await reply(DM, aDm, `EvA3${teamId}`, `you told me ${wDm}, noted`, later(11));
  await store.botReplies.recordFailed(teamId, toAlice.sendKey, `model error near ${wDm}`);
  await logged(
    world,
    eventDelivery(teamId, `EvP1${teamId}`, later(11), {
      type: "message",
      user: PUP,
      bot_id: PUP_BOT,
      text: `you told me ${wDm}, noted`,
      ts: toAlice.replyTs,
      channel: DM,
    }),
  );
  const toBob = await reply(
    PUBLIC,
    bPublic,
    `EvB1${teamId}`,
    `sure bob, the ${bobWord} budget`,
    later(12),
  );

  const summary = (channelId: string, text: string, ids: number[], users: string[]) =>
    store.derived.saveSummary({
      teamId,
      channelId,
      periodStart: later(0),
      periodEnd: later(60),
      summary: text,
      sourceUserIds: users,
      sourceMessageIds: ids,
    });
  const summaries = {
    mixed: await summary(
      PUBLIC,
      `alice liked ${wPublic}; bob agreed on ${bobWord}`,
      [aPublic.id, bPublic.id],
      [alice, bob],
    ),
    bobOnly: await summary(PRIVATE, `bob kept ${bobWord} notes`, [bPrivate.id], [bob]),
  };
  const fact = (userId: string, text: string, ids: number[]) =>
    store.derived.addFact({ teamId, userId, fact: text, sourceMessageIds: ids });
  const facts = {
    aliceOwn: await fact(alice, `keeps a secret about ${wDm}`, [aDm.id]),
    bobFromAlice: await fact(bob, "is liked by a colleague", [aPublic.id]),
    bobFromBoth: await fact(bob, "works on the budget", [aPublic.id, bPublic.id]),
    bobOwn: await fact(bob, "takes notes", [bPrivate.id]),
  };

  // Mood history: one change Alice's message caused, one Bob's.
  await sql`insert into mood_transitions (team_id, channel_id, from_mood, to_mood, reason,
              trigger_message_ts, trigger_event_id, trigger_user_id, at)
            values (${teamId}, ${PUBLIC}, 'neutral', 'friendly', 'thanked once', ${aPublic.ts},
                    ${`EvA1${teamId}`}, ${alice}, ${later(1)}),
                   (${teamId}, ${PUBLIC}, 'friendly', 'neutral', 'thanked once', ${bPublic.ts},
                    ${`EvB1${teamId}`}, ${bob}, ${later(5)})`;
  // Archived long ago: one message of each.
  const archivedId = () => 9_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  await sql`insert into archived_messages (id, team_id, channel_id, ts, user_id, text, visibility, posted_at)
            values (${archivedId()}, ${teamId}, ${PUBLIC}, ${tsAt(BEFORE)}, ${alice},
                    ${`alice once said ${aliceWords[0]} long ago`}, 'public_channel', ${BEFORE}),
                   (${archivedId()}, ${teamId}, ${PUBLIC}, ${tsAt(BEFORE)}, ${bob},
                    ${`bob once said ${bobWord} long ago`}, 'public_channel', ${BEFORE})`;
  await store.userStats.refresh();

  return {
    teamId,
    alice,
    bob,
    aliceNeedles: [
      ...Object.values(said).filter(
        (text) => text.startsWith("alice") || text.startsWith("remember"),
      ),
      editedText,
      aliceName,
      ...aliceWords,
    ],
    aliceWords,
    bobNeedles: [said.bobPublic, said.bobPrivate, bobWord],
    bobWord,
    aliceIds: { public: aPublic.id, private: aPrivate.id, dm: aDm.id, edited: aEdited.id },
    bobIds: { public: bPublic.id, private: bPrivate.id },
    replies: { toAlice: toAlice.replyTs, toBob: toBob.replyTs },
    aliceReplySendKey: toAlice.sendKey,
    facts,
    summaries,
    bobMentionEvent: `EvB1${teamId}`,
  };
}
