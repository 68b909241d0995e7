// Issue 15, point 5: `/pup retention <days>` is the workspace's retention policy. It is stored in
// workspace_settings (the cleanup queue reads it there), admins only, audit-logged either way,
// and a workspace that never set one runs on the documented default.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { DEFAULT_RETENTION_DAYS } from "../../../core/src/ports/workspace-settings";
import { ADMIN, type CommandsWorld, MEMBER, startCommandsWorld } from "./fixture";

let world: CommandsWorld;
let sql: postgres.Sql;
beforeEach(async () => {
  world = await startCommandsWorld();
  sql = postgres(process.env.PUP_TEST_DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
});
afterEach(async () => {
  await sql.end({ timeout: 5 });
  await world.stop();
});

const lastAnswer = () => world.responses.at(-1)?.body.text ?? "";
const storedDays = async () => {
  const rows = await sql`select retention_days, updated_by from workspace_settings
                         where team_id = ${world.teamId}`;
  return rows[0] as { retention_days: number | null; updated_by: string | null } | undefined;
};

describe("/pup retention", () => {
  test("an admin's setting is written to workspace_settings and read back", async () => {
    await world.command("retention 30", { user: ADMIN });
    expect(lastAnswer()).toStartWith("Retention set to 30 days.");
    expect(await storedDays()).toEqual({ retention_days: 30, updated_by: ADMIN });
    expect(await world.services.deps.workspaceSettings.getRetention(world.teamId)).toEqual({
      teamId: world.teamId,
      days: 30,
      explicit: true,
    });
    await world.command("retention", { user: MEMBER });
    expect(lastAnswer()).toBe("Retention set to 30 days.");
  });

  test("a member is refused, nothing is stored, and the refusal is audit-logged", async () => {
    await world.command("retention 7", { user: MEMBER });
    expect(lastAnswer()).toStartWith("Only workspace admins and owners");
    expect(await storedDays()).toBeUndefined();
    await world.command("retention 90", { user: ADMIN });
    await world.command("retention 2", { user: MEMBER });
    expect((await storedDays())?.retention_days).toBe(90);
    const rows = await world.audit();
    expect(rows.map((r) => [r.actor, r.action, r.details.outcome, r.details.args])).toEqual([
      [MEMBER, "admin.retention.set", "refused", { days: 7 }],
      [ADMIN, "admin.retention.set", "allowed", { days: 90 }],
      [MEMBER, "admin.retention.set", "refused", { days: 2 }],
    ]);
  });

  test("without a setting the default applies and the answer says so", async () => {
    await world.command("retention", { user: MEMBER });
    expect(lastAnswer()).toBe(
      `Retention: ${DEFAULT_RETENTION_DAYS} days (the default). Older messages are archived daily.`,
    );
  });

  test("out-of-bounds values are refused with the usage line and stored nowhere", async () => {
    for (const arg of ["0", "3651", "-5", "ten"]) {
      await world.command(`retention ${arg}`, { user: ADMIN });
      expect(lastAnswer()).toBe(
        "Usage: `/pup retention [<days>]`, where <days> is a whole number from 1 to 3650.",
      );
    }
    expect(await storedDays()).toBeUndefined();
    expect(await world.audit()).toEqual([]);
  });
});
