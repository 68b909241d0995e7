/**
 * The canary test in mid-conversation (issue 14, points 1 and 2): canary text said in a public
 * channel, as a memory, as a neighbouring turn, in the channel's summary and behind a profile
 * fact; then the channel is made private (Slack's `channel_convert_to_private` message). From a
 * DM and from another public channel, no prompt the local OpenAI server receives may carry a
 * canary; converted back to public, they may appear again. Runs the real composition over
 * in-process adapters (test/setup/in-process-pup.ts) with the local Slack and OpenAI servers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEmbedBatcher } from "../../core/src/features/memory";
import type { ChatMessage } from "../../core/src/ports/language-model";
import {
  ALICE,
  BOB,
  type InProcessPup,
  PUP,
  startInProcessPup,
  TEAM,
} from "../setup/in-process-pup";

let pup: InProcessPup;

beforeAll(async () => {
  pup = await startInProcessPup();
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

const word = (stem: string) => `${stem}${Math.random().toString(36).slice(2, 8)}`;

function openai() {
  if (!pup.openai) throw new Error("the local OpenAI server did not start");
  return pup.openai;
}

/** Alice asks pup `question` in `channel`; returns the prompt the model received, as JSON. */
async function promptAsked(channel: string, question: string): Promise<string> {
  openai().queueReply("Woof.");
  const before = openai().chatRequests().length;
  const dm = channel.startsWith("D");
  const asked = pup.said(channel, dm ? question : `<@${PUP}> ${question}`, { mention: !dm });
  await pup.handle(asked.envelope);
  const requests = openai().chatRequests();
  expect(requests.length).toBe(before + 1);
  return JSON.stringify(requests.at(-1)?.body.messages as ChatMessage[]);
}

/** The `message` event Slack sends in a channel when it is made private or public. */
function conversion(channel: string, to: "private" | "public") {
  const conversation = pup.slack.workspace.conversation(channel);
  conversation.visibility = to;
  const ts = (Date.now() / 1000).toFixed(6);
  return pup.envelope({
    type: "message",
    subtype: to === "private" ? "channel_convert_to_private" : "channel_convert_to_public",
    user: BOB,
    text: `made this channel *${to}*`,
    channel,
    channel_type: to === "private" ? "group" : "channel",
    ts,
    event_ts: ts,
  });
}

async function say(channel: string, text: string, user = ALICE): Promise<string> {
  const said = pup.said(channel, text, { user });
  await pup.handle(said.envelope);
  const batcher = createEmbedBatcher(pup.deps);
  expect(await batcher.embed({ teamId: TEAM, channelId: channel, ts: said.ts })).toBe("embedded");
  return said.ts;
}

describe("a channel made private in mid-conversation stops leaking", () => {
  test("memories, neighbouring turns, summaries and profile facts follow the conversion", async () => {
    const topic = word("zebrafish");
    const memoryCanary = word("canarymem");
    const neighbourCanary = word("canarynbr");
    const factCanary = word("canaryfact");
    const summaryCanary = word("canarysum");
    const canaries = [memoryCanary, neighbourCanary, factCanary, summaryCanary];

    const team = pup.conversation("public");
    const elsewhere = pup.conversation("public");
    const dm = pup.conversation("im");
    await say(team, `who is feeding the ${topic} this week?`, BOB);
    const memoryTs = await say(team, `the ${topic} vault code is ${memoryCanary}`);
    // No word of the question: it can only reach a prompt as the memory's neighbouring turn.
    await say(team, `and the spare key says ${neighbourCanary}`, BOB);
    const source = await pup.deps.messages.find({ teamId: TEAM, channelId: team, ts: memoryTs });
    if (!source) throw new Error("the canary message was not stored");
    await pup.deps.derived.addFact({
      teamId: TEAM,
      userId: ALICE,
      fact: `keeps ${factCanary} in the vault`,
      sourceMessageIds: [source.id],
    });
    await pup.deps.derived.saveSummary({
      teamId: TEAM,
      channelId: team,
      periodStart: new Date(Date.now() - 60_000),
      periodEnd: new Date(),
      summary: `the team discussed ${summaryCanary}`,
      sourceUserIds: [ALICE],
    });
    const question = `what is the ${topic} vault code?`;

    // Public: the memory, its neighbour and the fact may show anywhere in the workspace.
    const publicPrompt = await promptAsked(elsewhere, question);
    expect(publicPrompt).toContain(memoryCanary);
    expect(publicPrompt).toContain(neighbourCanary);

    await pup.handle(conversion(team, "private"));
    // A late delivery of a message sent while the channel was public must not widen it again.
    const lateTs = (Date.now() / 1000 - 30).toFixed(6);
    pup.slack.workspace.postMessage(team, { user: BOB, text: `late ${topic} note` });
    await pup.handle(
      pup.envelope({
        type: "message",
        user: BOB,
        text: `late ${topic} note ${memoryCanary}`,
        ts: lateTs,
        channel: team,
        channel_type: "channel",
        event_ts: lateTs,
      }),
    );

    for (const from of [dm, elsewhere]) {
      const prompt = await promptAsked(from, question);
      const leaked = canaries.filter((canary) => prompt.includes(canary));
      expect({ from, leaked }).toEqual({ from, leaked: [] });
    }
    expect(await pup.deps.directory.getChannel(TEAM, team)).toMatchObject({
      visibility: "private_channel",
    });
    // Inside the channel itself everything is still recalled.
    expect(await promptAsked(team, question)).toContain(memoryCanary);

    await pup.handle(conversion(team, "public"));
    const widened = await promptAsked(dm, question);
    expect(widened).toContain(memoryCanary);
    expect(widened).toContain(neighbourCanary);
  });
});
