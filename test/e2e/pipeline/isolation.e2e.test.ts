/**
 * Issue 5's isolation check through the real reply path: two workspaces, two people each, and for
 * each person a public channel, a private channel and a DM with pup (12 conversations). A canary
 * sentence with a token of its own is planted in each; then 500 questions about it are asked from
 * every conversation by everyone who may speak there. Every prompt the model server received must
 * hold a canary only where "Who may see what" allows it: a DM's or private channel's only in that
 * conversation, a public channel's anywhere in its workspace, nothing across workspaces. The
 * allowed recalls must happen too, so the check cannot pass by recalling nothing.
 *
 * The workspaces share user ids (as Enterprise Grid does), so only `team_id` keeps them apart.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { fakeEmbedding } from "../../fakes/openai";
import { messageText } from "../../fakes/openai/responder";
import {
  ALICE,
  BOB,
  forwardToCore,
  type Pipeline,
  PUP,
  said,
  settle,
  startPipeline,
} from "./harness";

type Kind = "public" | "private" | "dm";

interface Conversation {
  teamId: string;
  channelId: string;
  kind: Kind;
  owner: string;
  /** Who may speak here: channels have both people, a DM only its owner. */
  speakers: string[];
  canary: string;
}

/** Questions rotated over the queries; none contains a canary token. */
const QUESTIONS = [
  "what is my locker code?",
  "which locker code did I give you?",
  "remind me of the locker codes people told you",
  "do you remember a canary code for a locker?",
  "what was that code for the locker again?",
];
const QUERIES = 500;
/** Questions in flight at once (each waits for its answer before the next takes its place). */
const IN_FLIGHT = 24;
const EMBEDDING_DIMENSIONS = 512;

const run = Math.random().toString(36).slice(2, 8).toUpperCase();
const TEAMS = [`T0ISO${run}A`, `T0ISO${run}B`];
const PEOPLE = [
  { id: ALICE, name: "alice" },
  { id: BOB, name: "bob" },
];

let pipeline: Pipeline;
const conversations: Conversation[] = [];

/** Which conversation a chat request was for, by the marker in the message it answered. */
const markers = new Map<string, Conversation>();

function plantConversations(): void {
  TEAMS.forEach((teamId, t) => {
    for (const person of PEOPLE) {
      for (const kind of ["public", "private", "dm"] as const) {
        const prefix = kind === "public" ? "C" : kind === "private" ? "G" : "D";
        const channelId = `${prefix}0${run}${t}${person.name.slice(0, 1).toUpperCase()}${kind.length}`;
        pipeline.slack.addChannel(
          kind === "dm"
            ? { id: channelId, name: channelId, visibility: "im", user: person.id }
            : {
                id: channelId,
                name: `${kind}-${person.name}-${t}-${run.toLowerCase()}`,
                visibility: kind,
                members: [ALICE, BOB, PUP],
              },
        );
        const token = `canary-t${t}-${person.name}-${kind}-${Math.random().toString(36).slice(2, 10)}`;
        const conversation: Conversation = {
          teamId,
          channelId,
          kind,
          owner: person.id,
          speakers: kind === "dm" ? [person.id] : [ALICE, BOB],
          canary: token,
        };
        conversations.push(conversation);
        markers.set(token, conversation);
      }
    }
  });
}

function event(conversation: Conversation, user: string, text: string, mention: boolean) {
  return said(pipeline, mention ? `<@${PUP}> ${text}` : text, {
    team: conversation.teamId,
    channel: conversation.channelId,
    user,
    mention,
    channelType:
      conversation.kind === "dm" ? "im" : conversation.kind === "private" ? "group" : "channel",
  });
}

/** pup's messages in a thread of a channel (its answers to one message). */
function answersTo(channelId: string, ts: string): number {
  return pipeline.slack.workspace.messages
    .all()
    .filter(
      (entry) =>
        entry.channel === channelId && entry.message.user === PUP && entry.message.thread_ts === ts,
    ).length;
}

async function answered(channelId: string, ts: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (answersTo(channelId, ts) === 0) {
    if (Date.now() > deadline) throw new Error(`no answer to ${ts} in ${channelId}`);
    await Bun.sleep(10);
  }
}

/** Canary tokens anywhere in a text. */
function canariesIn(text: string): string[] {
  return conversations.filter((c) => text.includes(c.canary)).map((c) => c.canary);
}

function mayRecall(canary: Conversation, from: Conversation): boolean {
  if (canary.teamId !== from.teamId) return false;
  return canary.kind === "public" || canary.channelId === from.channelId;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  // The model says back every canary it was shown, so what pup posts can be checked too.
  pipeline.openai.setResponder((request) => {
    const shown = canariesIn(JSON.stringify(request.messages));
    return shown.length > 0 ? `I recall ${shown.join(", ")}.` : "I do not recall any locker code.";
  });
  plantConversations();
  // Each person says their canary in each of their conversations: in channels just said (pup
  // remembers without being addressed), in a DM said to pup (who answers).
  for (const conversation of conversations) {
    const { envelope } = event(
      conversation,
      conversation.owner,
      `my locker code is ${conversation.canary}`,
      false,
    );
    expect(await forwardToCore(pipeline, envelope)).toBe(202);
  }
  await settle(pipeline, 30_000);
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

describe("memory never crosses a workspace or a private conversation", () => {
  test("every canary is stored with its embedding", async () => {
    for (const c of conversations) {
      const [best] = await pipeline.services.data.messages.nearest(
        { teamId: c.teamId, fromChannelId: c.channelId, limit: 1 },
        fakeEmbedding(`my locker code is ${c.canary}`, EMBEDDING_DIMENSIONS),
      );
      expect(best?.message.text).toBe(`my locker code is ${c.canary}`);
      expect(best?.score ?? 1).toBeLessThan(1e-4);
    }
  });

  test(`${QUERIES} questions from all 12 conversations: canaries only where they may be seen`, async () => {
    const slots = conversations.flatMap((c) => c.speakers.map((user) => ({ c, user })));
    const asked: { c: Conversation; ts: string }[] = [];
    let next = 0;
    // A fixed number of questions in flight, each replaced once answered.
    const lane = async () => {
      while (next < QUERIES) {
        const n = next++;
        const slot = slots[n % slots.length];
        if (!slot) throw new Error("no slot");
        const marker = `q${n}`;
        markers.set(marker, slot.c);
        const question = `(${marker}) ${QUESTIONS[n % QUESTIONS.length]}`;
        const { envelope, ts } = event(slot.c, slot.user, question, slot.c.kind !== "dm");
        expect(await forwardToCore(pipeline, envelope)).toBe(202);
        await answered(slot.c.channelId, ts);
        asked.push({ c: slot.c, ts });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    await settle(pipeline, 30_000);
    expect(asked).toHaveLength(QUERIES);

    const chats = pipeline.openai.chatRequests();
    // The 500 questions and the 4 canaries said in DMs, each asked of the model once.
    expect(chats).toHaveLength(QUERIES + conversations.filter((c) => c.kind === "dm").length);

    const violations: string[] = [];
    /** Prompts that held each canary, by the conversation they were for. */
    const seenFrom = new Map<string, Conversation[]>();
    for (const chat of chats) {
      const messages = chat.body.messages ?? [];
      const answered = messageText(messages.at(-1)?.content);
      const marker = /\((q\d+)\)/.exec(answered)?.[1] ?? canariesIn(answered)[0];
      const from = marker ? markers.get(marker) : undefined;
      if (!from) {
        violations.push(`a prompt for no known conversation: ${answered.slice(0, 120)}`);
        continue;
      }
      for (const token of canariesIn(JSON.stringify(messages))) {
        const canary = markers.get(token);
        if (!canary) continue;
        seenFrom.set(token, [...(seenFrom.get(token) ?? []), from]);
        if (!mayRecall(canary, from)) {
          violations.push(
            `${token} in a prompt for ${from.kind} ${from.channelId} of ${from.teamId}`,
          );
        }
      }
    }
    // What pup posted follows what it was shown: check Slack too.
    for (const { channel, message } of pipeline.slack.workspace.messages.all()) {
      const from = conversations.find((c) => c.channelId === channel);
      for (const token of canariesIn(message.text ?? "")) {
        const canary = markers.get(token);
        if (from && canary && !mayRecall(canary, from)) {
          violations.push(`${token} posted in ${from.kind} ${channel}`);
        }
      }
    }
    expect(violations).toEqual([]);

    // Not vacuous: each canary reached prompts in its own conversation, and each public one
    // reached prompts elsewhere in its workspace: another public channel, a private one, a DM.
    for (const c of conversations) {
      const seen = seenFrom.get(c.canary) ?? [];
      expect({ canary: c.canary, own: seen.some((from) => from === c) }).toEqual({
        canary: c.canary,
        own: true,
      });
      if (c.kind !== "public") continue;
      const elsewhere = new Set(seen.filter((from) => from !== c).map((from) => from.kind));
      expect({ canary: c.canary, elsewhere: [...elsewhere].sort() }).toEqual({
        canary: c.canary,
        elsewhere: ["dm", "private", "public"],
      });
    }
  }, 120_000);
});
