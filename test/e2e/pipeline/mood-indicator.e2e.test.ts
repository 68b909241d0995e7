/**
 * How pup shows its mood is the operator's choice (PUP_MOOD_INDICATOR): a footer line under the
 * reply instead of a reaction, or nothing at all; and mood thresholds come from configuration.
 */
import { afterEach, describe, expect, test } from "bun:test";
import {
  ALICE,
  forwardToCore,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  settle,
  startPipeline,
  waitFor,
} from "./harness";

let pipeline: Pipeline | undefined;

afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
});

/** A channel no other test (or earlier run) has talked in: its mood starts neutral. */
function freshChannel(p: Pipeline): string {
  return p.slack.workspace.addChannel({
    id: `C${crypto.randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`,
    name: `mood-${crypto.randomUUID().slice(0, 8)}`,
    visibility: "public",
    members: [ALICE, PUP],
  }).id;
}

async function thank(p: Pipeline, channel: string, text: string) {
  const before = pupMessages(p, channel).length;
  const message = said(p, `<@${PUP}> ${text}`, { channel, mention: true });
  expect(await forwardToCore(p, message.envelope)).toBe(202);
  await waitFor(() => pupMessages(p, channel).length > before, "pup's answer");
  await settle(p);
  const reply = pupMessages(p, channel).at(-1);
  if (!reply) throw new Error("no reply");
  return reply;
}

describe("mood indicator", () => {
  test("footer: a line under the reply names the mood, and no reaction is added", async () => {
    const p = await startPipeline({ llm: "offline", personality: { indicator: "footer" } });
    pipeline = p;
    const reply = await thank(p, freshChannel(p), "thank you, that was lovely!");
    expect(reply.text).toContain("_pup is feeling friendly_");
    expect(p.slack.callsTo("reactions.add")).toEqual([]);
  });

  test("off: neither a footer nor a reaction", async () => {
    const p = await startPipeline({ llm: "offline", personality: { indicator: "off" } });
    pipeline = p;
    const reply = await thank(p, freshChannel(p), "thank you, that was lovely!");
    expect(reply.text).not.toContain("pup is feeling");
    expect(p.slack.callsTo("reactions.add")).toEqual([]);
  });

  test("PUP_MOOD_TUNING thresholds apply: two thanks needed, the first leaves pup neutral", async () => {
    const p = await startPipeline({
      llm: "offline",
      personality: { tuning: { positiveToFriendly: 2 } },
    });
    pipeline = p;
    const channel = freshChannel(p);
    const first = await thank(p, channel, "thanks so much!");
    expect(p.slack.callsTo("reactions.add").filter((c) => c.args.timestamp === first.ts)).toEqual(
      [],
    );
    const second = await thank(p, channel, "really, thank you!");
    const reactions = p.slack
      .callsTo("reactions.add")
      .filter((c) => c.args.timestamp === second.ts);
    expect(reactions.map((c) => c.args.name)).toEqual(["slightly_smiling_face"]);
  });
});
