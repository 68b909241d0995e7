// Issue 14, point 7: admin commands check the caller's role live (Slack's `users.info`, at most a
// minute old, plus roles granted in pup) and every attempt, allowed or refused, leaves an audit
// row in PostgreSQL saying who, what, where and why.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { ADMIN, CHANNEL, type CommandsWorld, MEMBER, OWNER, startCommandsWorld } from "./fixture";

let world: CommandsWorld;
beforeEach(async () => {
  world = await startCommandsWorld();
});
afterEach(async () => {
  await world.stop();
});

/** The text of the last answer (every command here answers through its response_url). */
const lastAnswer = () => world.responses.at(-1)?.body.text ?? "";

const forbiddenHere = async () =>
  (await world.services.deps.directory.getChannel(world.teamId, CHANNEL))?.toneRules;

describe("roles checked live", () => {
  test("a demoted admin's /pup tone is refused once the live-role minute has passed, and audit-logged", async () => {
    await world.command("tone never sarcastic", { user: ADMIN });
    expect(lastAnswer()).toContain("pup will never be sarcastic here.");

    // The workspace demotes Ada in Slack; pup learned she was an admin at first sight.
    world.slack.addUser({ id: ADMIN, name: "ada", isAdmin: false });
    world.clock.now += 61_000;
    await world.command("tone allow sarcastic", { user: ADMIN });

    expect(lastAnswer()).toStartWith(
      "Only workspace admins and owners (or admins granted in pup) can change tone rules.",
    );
    expect((await forbiddenHere())?.forbidden).toEqual(["sarcastic"]);
    expect(await world.audit()).toEqual([
      {
        actor: ADMIN,
        action: "admin.tone.set",
        subject: CHANNEL,
        details: {
          channel: CHANNEL,
          args: { verb: "never", mood: "sarcastic" },
          outcome: "allowed",
          via: "slack_admin",
          result: { forbidden: ["sarcastic"], before: [] },
        },
      },
      {
        actor: ADMIN,
        action: "admin.tone.set",
        subject: CHANNEL,
        details: {
          channel: CHANNEL,
          args: { verb: "allow", mood: "sarcastic" },
          outcome: "refused",
          reason: "not_admin",
        },
      },
    ]);
  });

  test("within the minute Slack is not asked again; after it, it is", async () => {
    await world.command("tone never sarcastic", { user: ADMIN });
    const asked = () => world.slack.callsTo("users.info").length;
    const before = asked();
    world.clock.now += 30_000;
    await world.command("tone never enthusiastic", { user: ADMIN });
    expect(asked()).toBe(before);
    world.clock.now += 31_000;
    await world.command("tone allow enthusiastic", { user: ADMIN });
    expect(asked()).toBe(before + 1);
  });

  test("when Slack cannot say, the command is refused (never guessed) and the refusal audited", async () => {
    world.slack.failNext("users.info", { kind: "slack_error", error: "account_inactive" });
    await world.command("tone never sarcastic", { user: ADMIN });
    expect(lastAnswer()).toStartWith("pup couldn't confirm your role with Slack just now");
    expect((await forbiddenHere())?.forbidden ?? []).toEqual([]);
    const [row] = await world.audit();
    expect(row?.details).toMatchObject({ outcome: "refused", reason: "role_check_failed" });
  });
});

describe("/pup role grant|revoke", () => {
  test("admins grant and revoke pup's admin role; members cannot, themselves included", async () => {
    await world.command("tone never sarcastic", { user: MEMBER });
    expect(lastAnswer()).toStartWith("Only workspace admins and owners");

    await world.command(`role grant <@${MEMBER}|mel> admin`, { user: MEMBER });
    expect(lastAnswer()).toContain("yourself included");
    expect(await world.services.deps.roleGrants.has(world.teamId, MEMBER, "admin")).toBe(false);

    await world.command(`role grant <@${MEMBER}|mel> admin`, { user: ADMIN });
    expect(lastAnswer()).toBe(`<@${MEMBER}> is now an admin in pup.`);
    expect(await world.services.deps.roleGrants.list(world.teamId)).toMatchObject([
      { userId: MEMBER, role: "admin", grantedBy: ADMIN },
    ]);

    await world.command("tone never sarcastic", { user: MEMBER });
    expect(lastAnswer()).toContain("pup will never be sarcastic here.");

    // A granted admin may revoke grants, never a role Slack gave.
    await world.command(`role revoke <@${OWNER}> admin`, { user: MEMBER });
    expect(lastAnswer()).toBe(
      `<@${OWNER}> had no admin role granted in pup. They are still a workspace owner in Slack, which pup can't change.`,
    );
    await world.command("tone never enthusiastic", { user: OWNER });
    expect(lastAnswer()).toContain("pup will never be enthusiastic here.");

    // A revoke takes effect on the very next command: grants are never cached.
    await world.command(`role revoke <@${MEMBER}> admin`, { user: ADMIN });
    expect(lastAnswer()).toBe(`<@${MEMBER}> is no longer an admin in pup.`);
    await world.command("tone allow sarcastic", { user: MEMBER });
    expect(lastAnswer()).toStartWith("Only workspace admins and owners");

    const rows = await world.audit();
    expect(
      rows.map((r) => [
        r.actor,
        r.action,
        r.subject,
        r.details.outcome,
        r.details.reason ?? r.details.via,
      ]),
    ).toEqual([
      [MEMBER, "admin.tone.set", CHANNEL, "refused", "not_admin"],
      [MEMBER, "admin.role.grant", MEMBER, "refused", "self_grant"],
      [ADMIN, "admin.role.grant", MEMBER, "allowed", "slack_admin"],
      [MEMBER, "admin.tone.set", CHANNEL, "allowed", "pup_grant"],
      [MEMBER, "admin.role.revoke", OWNER, "allowed", "pup_grant"],
      [OWNER, "admin.tone.set", CHANNEL, "allowed", "slack_owner"],
      [ADMIN, "admin.role.revoke", MEMBER, "allowed", "slack_admin"],
      [MEMBER, "admin.tone.set", CHANNEL, "refused", "not_admin"],
    ]);
    for (const row of rows) expect(row.details.channel).toBe(CHANNEL);
    expect(rows[2]?.details.args).toEqual({ user: MEMBER, role: "admin" });
  });

  test("/pup role list names everyone granted in pup and who granted them", async () => {
    await world.command("role list", { user: MEMBER });
    expect(lastAnswer()).toBe(
      "Workspace admins and owners in Slack are admins in pup.\nNo one else has been granted pup's admin role.",
    );
    await world.command(`role grant <@${MEMBER}> admin`, { user: ADMIN });
    await world.command(`role grant <@${ADMIN}> admin`, { user: OWNER });

    // Anyone may look; `/pup role` alone lists too.
    await world.command("role", { user: MEMBER });
    expect(lastAnswer()).toBe(
      `Workspace admins and owners in Slack are admins in pup.\nGranted in pup: <@${MEMBER}> (by <@${ADMIN}>), <@${ADMIN}> (by <@${OWNER}>).`,
    );
    await world.command(`role revoke <@${MEMBER}> admin`, { user: OWNER });
    await world.command("role list", { user: MEMBER });
    expect(lastAnswer()).toEndWith(`Granted in pup: <@${ADMIN}> (by <@${OWNER}>).`);
    // Listing changes nothing, so it is not audited.
    expect((await world.audit()).map((r) => r.action)).toEqual([
      "admin.role.grant",
      "admin.role.grant",
      "admin.role.revoke",
    ]);
  });

  test("granting to someone Slack doesn't know grants nothing", async () => {
    const stranger = "U0NOBODY01";
    await world.command(`role grant <@${stranger}> admin`, { user: ADMIN });
    expect(lastAnswer()).toBe(`Slack doesn't know <@${stranger}> in this workspace.`);
    expect(await world.services.deps.roleGrants.list(world.teamId)).toEqual([]);
    const [row] = await world.audit();
    expect(row).toMatchObject({
      actor: ADMIN,
      action: "admin.role.grant",
      subject: stranger,
      details: { outcome: "allowed", result: { granted: false, reason: "unknown_user" } },
    });
  });

  test("revoking pup's grant from a Slack admin says they are still one, and they still are", async () => {
    await world.command(`role grant <@${ADMIN}> admin`, { user: OWNER });
    expect(lastAnswer()).toBe(`<@${ADMIN}> is now an admin in pup.`);
    await world.command(`role revoke <@${ADMIN}> admin`, { user: OWNER });
    expect(lastAnswer()).toBe(
      `<@${ADMIN}> is no longer an admin in pup. They are still a workspace admin in Slack, which pup can't change.`,
    );
    expect(await world.services.deps.roleGrants.has(world.teamId, ADMIN, "admin")).toBe(false);
    await world.command("tone never sarcastic", { user: ADMIN });
    expect(lastAnswer()).toContain("pup will never be sarcastic here.");
    const rows = await world.audit();
    expect(rows.at(-1)?.details).toMatchObject({ outcome: "allowed", via: "slack_admin" });
  });

  test("a malformed grant gets the usage and is not an admin action", async () => {
    await world.command("role grant mel admin", { user: ADMIN });
    expect(lastAnswer()).toStartWith("Usage: `/pup role [grant|revoke <@user> admin]`");
    await world.command(`role grant <@${MEMBER}> owner`, { user: ADMIN });
    expect(lastAnswer()).toStartWith("Usage:");
    expect(await world.audit()).toEqual([]);
  });
});

describe("/pup retention", () => {
  test("only admins set it; the newest allowed setting is the value", async () => {
    await world.command("retention 7", { user: MEMBER });
    expect(lastAnswer()).toStartWith("Only workspace admins and owners");
    await world.command("retention 30", { user: ADMIN });
    expect(lastAnswer()).toStartWith("Retention set to 30 days.");
    await world.command("retention", { user: MEMBER });
    expect(lastAnswer()).toBe("Retention set to 30 days.");
    const rows = await world.audit();
    expect(rows.map((r) => [r.actor, r.details.outcome, r.details.args])).toEqual([
      [MEMBER, "refused", { days: 7 }],
      [ADMIN, "allowed", { days: 30 }],
    ]);
  });
});
