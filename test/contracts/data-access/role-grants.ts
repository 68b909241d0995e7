// Contract: roles granted in pup are kept per workspace, granted once, revoked at once.
import { expect, test } from "bun:test";
import { type ContractContext, newWorkspace } from "./context";

export function registerRoleGrantsContract(context: ContractContext): void {
  test("a grant is kept once per workspace and user; a revoke removes it at once", async () => {
    const grants = context.access().roleGrants;
    const teamId = await newWorkspace(context);
    const otherTeam = await newWorkspace(context);
    const grant = { teamId, userId: "U1", role: "admin" as const, grantedBy: "U0ADMIN" };

    expect(await grants.has(teamId, "U1", "admin")).toBe(false);
    expect(await grants.grant(grant)).toBe(true);
    expect(await grants.grant({ ...grant, grantedBy: "U0OTHER" })).toBe(false);
    expect(await grants.has(teamId, "U1", "admin")).toBe(true);
    expect(await grants.has(otherTeam, "U1", "admin")).toBe(false);
    // The first grant is kept as it was: who granted it does not change.
    expect(await grants.list(teamId)).toMatchObject([
      { teamId, userId: "U1", role: "admin", grantedBy: "U0ADMIN" },
    ]);

    expect(await grants.revoke(teamId, "U1", "admin")).toBe(true);
    expect(await grants.revoke(teamId, "U1", "admin")).toBe(false);
    expect(await grants.has(teamId, "U1", "admin")).toBe(false);
    expect(await grants.list(teamId)).toEqual([]);
  });
}
