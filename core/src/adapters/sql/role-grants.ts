// RoleGrants over SQL: one row per (team, user, role); a revoke deletes it and the audit log
// keeps the history.
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { roleGrants } from "../../../../db/schema";
import type { GrantedRole, RoleGrants } from "../../ports/role-grants";

function byRole(teamId: string, userId: string, role: GrantedRole) {
  return and(
    eq(roleGrants.teamId, teamId),
    eq(roleGrants.userId, userId),
    eq(roleGrants.role, role),
  );
}

export function createSqlRoleGrants(db: Database): RoleGrants {
  return {
    async grant(grant) {
      const rows = await db
        .insert(roleGrants)
        .values({
          teamId: grant.teamId,
          userId: grant.userId,
          role: grant.role,
          grantedBy: grant.grantedBy,
        })
        .onConflictDoNothing()
        .returning({ userId: roleGrants.userId });
      return rows.length > 0;
    },

    async revoke(teamId, userId, role) {
      const rows = await db
        .delete(roleGrants)
        .where(byRole(teamId, userId, role))
        .returning({ userId: roleGrants.userId });
      return rows.length > 0;
    },

    async has(teamId, userId, role) {
      const rows = await db
        .select({ userId: roleGrants.userId })
        .from(roleGrants)
        .where(byRole(teamId, userId, role))
        .limit(1);
      return rows.length > 0;
    },

    async list(teamId) {
      const rows = await db
        .select()
        .from(roleGrants)
        .where(eq(roleGrants.teamId, teamId))
        .orderBy(asc(roleGrants.grantedAt), asc(roleGrants.userId));
      return rows.map((row) => ({ ...row, role: row.role as GrantedRole }));
    },
  };
}
