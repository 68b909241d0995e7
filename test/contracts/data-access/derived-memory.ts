// Contract: facts about people show only where all their sources may be seen; the latest
// channel summary is the channel's own (not a thread's).
import { expect, test } from "bun:test";
import { type ContractContext, newChannel, newWorkspace, nextTs } from "./context";

export function registerDerivedMemoryContract(context: ContractContext): void {
  test("a fact learned in a DM shows in that DM only; one from a public channel everywhere", async () => {
    const { messages, derived } = context.access();
    const teamId = await newWorkspace(context);
    const publicChannel = await newChannel(context, teamId, "public_channel");
    const dm = await newChannel(context, teamId, "dm");
    const other = await newChannel(context, teamId, "public_channel");
    const said = (channelId: string, visibility: "public_channel" | "dm", text: string) =>
      messages.upsert({
        teamId,
        channelId,
        ts: nextTs(),
        userId: "U1",
        text,
        visibility,
        postedAt: new Date(),
      });
    const inPublic = await said(publicChannel, "public_channel", "I run on Sundays");
    const inDm = await said(dm, "dm", "I am allergic to cats");
    await derived.addFact({
      teamId,
      userId: "U1",
      fact: "runs on Sundays",
      sourceMessageIds: [inPublic.id],
    });
    await derived.addFact({
      teamId,
      userId: "U1",
      fact: "allergic to cats",
      sourceMessageIds: [inDm.id],
    });
    await derived.addFact({
      teamId,
      userId: "U1",
      fact: "mixed sources",
      sourceMessageIds: [inPublic.id, inDm.id],
    });

    expect((await derived.factsAbout(teamId, "U1", other, 10)).sort()).toEqual(["runs on Sundays"]);
    expect((await derived.factsAbout(teamId, "U1", dm, 10)).sort()).toEqual([
      "allergic to cats",
      "mixed sources",
      "runs on Sundays",
    ]);
    expect(await derived.factsAbout(teamId, "U2", dm, 10)).toEqual([]);
    expect(await derived.factsAbout(`${teamId}x`, "U1", dm, 10)).toEqual([]);
    // A deleted source takes its facts' support with it (cascade), never leaving them unscoped.
    await messages.hardDelete({ teamId, channelId: dm, ts: inDm.ts });
    expect(await derived.factsAbout(teamId, "U1", other, 10)).toContain("runs on Sundays");
  });

  test("the latest channel summary, not a thread's and not another channel's", async () => {
    const { derived } = context.access();
    const teamId = await newWorkspace(context);
    const channelId = await newChannel(context, teamId, "public_channel");
    const day = (n: number) => new Date(Date.UTC(2026, 10, n));
    expect(await derived.latestSummary(teamId, channelId)).toBeUndefined();
    const base = { teamId, channelId, sourceUserIds: ["U1"] };
    await derived.saveSummary({ ...base, periodStart: day(1), periodEnd: day(2), summary: "old" });
    await derived.saveSummary({ ...base, periodStart: day(2), periodEnd: day(3), summary: "new" });
    await derived.saveSummary({
      ...base,
      threadTs: "1.000001",
      periodStart: day(3),
      periodEnd: day(4),
      summary: "thread",
    });
    expect(await derived.latestSummary(teamId, channelId)).toBe("new");
  });
}
