// Contract: the directory, sealed installation tokens, once-only reply claims and user stats.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../db/query-rows";
import { uniqueName } from "../../setup/isolation";
import { type ContractContext, newChannel, newWorkspace, nextTs } from "./context";

export function registerAccountsContract(context: ContractContext): void {
  test("directory upserts keep the fields an update leaves out", async () => {
    const directory = context.access().directory;
    const teamId = await newWorkspace(context);
    await directory.upsertUser({ teamId, userId: "U1", displayName: "Ada", role: "admin" });
    const updated = await directory.upsertUser({ teamId, userId: "U1", realName: "Ada Lovelace" });
    expect(updated).toMatchObject({ displayName: "Ada", realName: "Ada Lovelace", role: "admin" });
    expect((await directory.getUser(teamId, "U1"))?.isBot).toBe(false);
    expect(await directory.getUser(uniqueName("T"), "U1")).toBeUndefined();

    const channelId = await newChannel(context, teamId, "group_dm");
    await directory.upsertChannel({ teamId, channelId, visibility: "group_dm", name: "trio" });
    await directory.upsertChannel({ teamId, channelId, visibility: "group_dm", isArchived: true });
    expect(await directory.getChannel(teamId, channelId)).toMatchObject({
      name: "trio",
      isArchived: true,
      toneRules: {},
    });
    expect((await directory.getWorkspace(teamId))?.name).toBe("Contract Co");
  });

  test("a bot token round-trips, but the database only holds ciphertext", async () => {
    const installations = context.access().installations;
    const teamId = uniqueName("T");
    const botToken = `xoxb-${uniqueName("secret")}`;
    const installation = {
      teamId,
      appId: "A1",
      botUserId: "UBOT",
      botId: "BBOT",
      scopes: ["chat:write", "app_mentions:read"],
      botToken,
      installedByUserId: "U1",
    };
    await installations.save(installation);
    expect(await installations.find(teamId)).toEqual(installation);

    const [row] = await queryRows<{ ciphertext: string; iv_bytes: number }>(
      context.handle().db,
      sql`select encode(token_ciphertext, 'escape') as ciphertext, length(token_iv) as iv_bytes
          from slack_installations where team_id = ${teamId}`,
    );
    expect(row?.ciphertext).not.toContain(botToken);
    expect(row?.ciphertext).not.toContain("xoxb-");
    expect(row?.iv_bytes).toBe(12);

    await installations.save({ ...installation, botToken: "xoxb-rotated" });
    expect((await installations.find(teamId))?.botToken).toBe("xoxb-rotated");
    expect(await installations.find(uniqueName("T"))).toBeUndefined();
  });

  test("a thread counts as answered while a claim in it is not known to have failed", async () => {
    const replies = context.access().botReplies;
    const teamId = await newWorkspace(context);
    const claim = { teamId, sendKey: "reply:C1:1.1", channelId: "C1", threadTs: "1.000100" };
    expect(await replies.repliedInThread(teamId, "C1", "1.000100")).toBe(false);
    expect(await replies.claim(claim)).toBe(true);
    expect(await replies.repliedInThread(teamId, "C1", "1.000100")).toBe(true);
    expect(await replies.repliedInThread(teamId, "C2", "1.000100")).toBe(false);
    expect(await replies.repliedInThread(teamId, "C1", "1.000200")).toBe(false);
    await replies.recordFailed(teamId, claim.sendKey, "nothing posted");
    expect(await replies.repliedInThread(teamId, "C1", "1.000100")).toBe(false);
  });

  test("a send key is claimed once, even by concurrent claims", async () => {
    const replies = context.access().botReplies;
    const teamId = uniqueName("T");
    const claim = { teamId, sendKey: "Ev1:reply", channelId: "C1", triggerEventId: "Ev1" };

    const results = await Promise.all([1, 2, 3, 4, 5].map(() => replies.claim(claim)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await replies.claim({ ...claim, teamId: uniqueName("T") })).toBe(true);

    await replies.recordFailed(teamId, claim.sendKey, "slack 500");
    expect(await replies.claim(claim)).toBe(true);
    await replies.recordSent(teamId, claim.sendKey, {
      replyTs: "1700000000.000900",
      model: "gpt-test",
      promptTokens: 120,
      completionTokens: 30,
      latencyMs: 850,
      mood: "friendly",
    });
    expect(await replies.claim(claim)).toBe(false);
    expect(await replies.find(teamId, claim.sendKey)).toMatchObject({
      status: "sent",
      replyTs: "1700000000.000900",
      mood: "friendly",
      promptTokens: 120,
      error: null,
    });
  });

  test("user stats count live messages per user after a refresh", async () => {
    const { messages, userStats } = context.access();
    const teamId = await newWorkspace(context);
    const general = await newChannel(context, teamId, "public_channel");
    const random = await newChannel(context, teamId, "public_channel");
    const post = (channelId: string, userId: string, postedAt: string) =>
      messages.upsert({
        teamId,
        channelId,
        ts: nextTs(),
        userId,
        text: "hi",
        visibility: "public_channel",
        postedAt: new Date(postedAt),
      });
    await post(general, "U1", "2024-01-01T10:00:00Z");
    await post(random, "U1", "2024-01-03T10:00:00Z");
    const deleted = await post(general, "U2", "2024-01-02T10:00:00Z");
    await post(general, "U2", "2024-01-04T10:00:00Z");

    expect(await userStats.get(teamId, "U1")).toBeUndefined();
    await userStats.refresh();
    expect(await userStats.get(teamId, "U1")).toMatchObject({ messageCount: 2, channelCount: 2 });
    expect((await userStats.get(teamId, "U1"))?.firstMessageAt.toISOString()).toBe(
      "2024-01-01T10:00:00.000Z",
    );

    await messages.softDelete(deleted, new Date());
    await userStats.refresh();
    const list = await userStats.listForTeam(teamId);
    expect(list.map((s) => [s.userId, s.messageCount])).toEqual([
      ["U1", 2],
      ["U2", 1],
    ]);
    expect(await userStats.listForTeam(uniqueName("T"))).toEqual([]);
  });
}
