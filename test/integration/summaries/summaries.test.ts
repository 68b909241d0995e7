// Summaries over the in-process composition (PGlite, local Slack, local OpenAI or the offline
// model): `/pup summary` answered privately once, "catch me up" written from what the asker may
// see, a deleted source regenerating the summary without it, idempotent stores, recall of a
// summary line with its sources, and the offline extractive summary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { handleCommand } from "../../../core/src/features/commands";
import { recallMemories, SUMMARY_SPEAKER } from "../../../core/src/features/memory";
import {
  DAY_MS,
  regenerateSummariesCiting,
  summarizePeriod,
} from "../../../core/src/features/summaries";
import { ALICE, type InProcessPup, PUP, startInProcessPup, TEAM } from "../../setup/in-process-pup";

const GUEST = "U0GUEST001";
let pup: InProcessPup;

/** A conversation named `name` holding `members` (a DM when `im` names its person). */
function channel(name: string, visibility: "public" | "private", members: string[]): string {
  const id = `${visibility === "public" ? "C" : "G"}0${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  pup.slack.addChannel({ id, name, visibility, members });
  return id;
}

function dmOf(user: string): string {
  const id = `D0${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  pup.slack.addChannel({ id, name: id, visibility: "im", user });
  return id;
}

async function say(channelId: string, text: string, user = ALICE): Promise<string> {
  const said = pup.said(channelId, text, { user });
  await pup.handle(said.envelope);
  return said.ts;
}

async function command(channelId: string, text: string, user: string, triggerId: string) {
  const payload = {
    token: "unused",
    team_id: TEAM,
    channel_id: channelId,
    user_id: user,
    command: "/pup",
    text,
    api_app_id: "A0FAKEAPP1",
    trigger_id: triggerId,
  };
  await handleCommand(pup.deps, payload, `command:${TEAM}:${triggerId}`);
}

/** Opens an assistant thread in `dm` for `user` and asks it to catch them up. */
async function catchUp(dm: string, user: string): Promise<string[]> {
  const root = pup.slack.workspace.postMessage(dm, { user: PUP, text: "Hi! How can I help?" });
  await pup.handle(
    pup.envelope({
      type: "assistant_thread_started",
      assistant_thread: { user_id: user, channel_id: dm, thread_ts: root.ts, context: {} },
      event_ts: root.ts,
    }),
  );
  const asked = pup.said(dm, "Catch me up on the last 24 hours.", { user, threadTs: root.ts });
  await pup.handle(asked.envelope);
  await pup.handle(asked.envelope); // Slack's retry: answered once all the same
  return pup
    .repliesIn(dm, root.ts)
    .filter((m) => m.ts !== root.ts)
    .map((m) => m.text ?? "");
}

beforeAll(async () => {
  pup = await startInProcessPup();
  pup.slack.addUser({ id: GUEST, name: "gus", realName: "Gus Guest", isRestricted: true });
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

describe("/pup summary", () => {
  test("answers the caller privately, once, with this conversation's last 24 hours", async () => {
    const here = channel("launch", "public", [ALICE, PUP]);
    const elsewhere = channel("elsewhere", "public", [ALICE, PUP]);
    await say(here, "the launch moved to Thursday because QA found a blocker");
    await say(elsewhere, "lunch is pizza today");
    const before = pup.slack.callsTo("chat.postEphemeral").length;
    await command(here, "summary", ALICE, "trig-summary-1");
    await command(here, "summary", ALICE, "trig-summary-1"); // a duplicate delivery
    const ephemerals = pup.slack.callsTo("chat.postEphemeral").slice(before);
    expect(ephemerals).toHaveLength(1);
    const text = String(ephemerals[0]?.args.text);
    expect(ephemerals[0]?.args.user).toBe(ALICE);
    expect(text).toContain("The last 24 hours in #launch");
    expect(text).toContain("launch moved to Thursday");
    expect(text).not.toContain("pizza");
  });
});

describe("catch me up (assistant thread)", () => {
  test("a member hears every public channel; nobody hears another conversation's private talk", async () => {
    const open = channel("design", "public", [ALICE, GUEST, PUP]);
    const closedToGuest = channel("roadmap", "public", [ALICE, PUP]);
    const secret = channel("secret", "private", [ALICE, PUP]);
    await say(open, "design review picked the blue palette");
    await say(closedToGuest, "roadmap has the billing rewrite in March");
    await say(secret, "acquisition talks with Initech continue");

    const member = (await catchUp(dmOf(ALICE), ALICE)).join("\n");
    expect(member).toContain("blue palette");
    expect(member).toContain("billing rewrite");
    expect(member).not.toContain("Initech");

    const guestReplies = await catchUp(dmOf(GUEST), GUEST);
    expect(guestReplies).toHaveLength(1);
    const guest = guestReplies.join("\n");
    expect(guest).toContain("blue palette");
    expect(guest).not.toContain("billing rewrite");
    expect(guest).not.toContain("Initech");
  });
});

describe("stored summaries", () => {
  test("a run twice stores one summary; a deleted source regenerates it without its text", async () => {
    const room = channel("ops", "public", [ALICE, PUP]);
    await say(room, "the database failover drill is on Friday");
    const doomed = await say(room, "the vault password is hunter2-not-real");
    const periodEnd = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
    const period = {
      teamId: TEAM,
      channelId: room,
      periodStart: new Date(periodEnd.getTime() - DAY_MS),
      periodEnd,
    };
    await summarizePeriod(pup.deps, period);
    await summarizePeriod(pup.deps, period);
    const rows = async () =>
      (
        await pup.deps.derived.recallSummaries({ teamId: TEAM, fromChannelId: room }, "ops", 10)
      ).filter((s) => s.channelId === room);
    expect(await rows()).toHaveLength(1);
    expect((await rows())[0]?.summary).toContain("hunter2-not-real");
    expect((await rows())[0]?.sources).toHaveLength(2);

    const depth = (await pup.deps.queue.depth("summary")).waiting;
    await pup.handle(pup.deleted(room, doomed));
    // The deletion forgot it (ADR-034): the summary citing it is gone at once, and its rewrite
    // is queued.
    expect((await pup.deps.queue.depth("summary")).waiting).toBe(depth + 1);
    expect(await rows()).toHaveLength(0);
    const stored = await pup.deps.messages.find({ teamId: TEAM, channelId: room, ts: doomed });
    expect(await regenerateSummariesCiting(pup.deps, TEAM, [stored?.id ?? -1])).toBe(0);
    await summarizePeriod(pup.deps, period); // what the queued job runs
    const [after] = await rows();
    expect(after?.summary).toContain("failover drill");
    expect(after?.summary).not.toContain("hunter2");
    expect(after?.sources).toHaveLength(1);
  });

  test("recall offers a channel's summary with its sources, only where the asker may see it", async () => {
    const design = channel("designteam", "public", [ALICE, PUP]);
    const hidden = channel("hiddenteam", "private", [ALICE, PUP]);
    const first = await say(design, "we chose Inter as the typeface");
    await say(hidden, "the hidden budget is large");
    const end = new Date(Date.now() + 60_000);
    for (const room of [design, hidden]) {
      await summarizePeriod(pup.deps, {
        teamId: TEAM,
        channelId: room,
        periodStart: new Date(end.getTime() - DAY_MS),
        periodEnd: end,
      });
    }
    const elsewhere = channel("random", "public", [ALICE, PUP]);
    const ask = (query: string, channelId = elsewhere) =>
      recallMemories(pup.deps, {
        teamId: TEAM,
        channelId,
        query,
        exclude: new Set(),
        botUserId: PUP,
      });
    const lines = await ask("what happened in #designteam yesterday?");
    const summary = lines.find((line) => line.speaker === SUMMARY_SPEAKER);
    expect(summary?.channelName).toBe("designteam");
    expect(summary?.text).toContain("Inter as the typeface");
    const sources = (summary as { sources?: { ts: string }[] } | undefined)?.sources;
    expect(sources?.map((s) => s.ts)).toEqual([first]);
    expect(summary?.permalink).toContain(first.replace(".", ""));
    // A private channel's summary shows only there.
    const fromOutside = await ask("what happened in #hiddenteam?");
    expect(
      fromOutside.filter((l) => l.speaker === SUMMARY_SPEAKER && l.text.includes("budget")),
    ).toEqual([]);
    const fromInside = await ask("what happened in #hiddenteam?", hidden);
    expect(fromInside.some((l) => l.speaker === SUMMARY_SPEAKER && l.text.includes("budget"))).toBe(
      true,
    );
  });

  test("among summaries sharing a word, the one sharing the most comes first, not the newest", async () => {
    const room = channel("offsiteteam", "public", [ALICE, PUP]);
    await say(room, "morning all");
    const day = (n: number) => new Date(Date.UTC(2026, 10, n));
    const save = (n: number, summary: string) =>
      pup.deps.derived.saveSummary({
        teamId: TEAM,
        channelId: room,
        periodStart: day(n),
        periodEnd: day(n + 1),
        summary,
        sourceUserIds: [ALICE],
      });
    await save(3, "Alice booked the offsite venue in Porto and the offsite train tickets");
    await save(9, "Alice asked about lunch");
    const found = await pup.deps.derived.recallSummaries(
      { teamId: TEAM, fromChannelId: room },
      "alice offsite venue Porto",
      10,
    );
    const mine = found.filter((f) => f.channelId === room);
    expect(mine.map((f) => f.summary)).toEqual([
      "Alice booked the offsite venue in Porto and the offsite train tickets",
      "Alice asked about lunch",
    ]);
  });
});
