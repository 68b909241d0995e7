// WorkspaceLifecycle over SQL (ADR-034): the uninstall state on the workspaces row, and the purge
// of an uninstalled workspace once its grace period is over: every row of every table with a
// team_id column (found in the catalog, so a table added later is purged too), in one
// transaction, leaving one audit row that names the workspace only by a digest.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { queryRows } from "../../../../db/query-rows";
import type { WorkspaceLifecycle } from "../../ports/workspace-lifecycle";
import { createSqlUserStats } from "./user-stats";

type Tx = Pick<Database, "execute">;

export const WORKSPACE_PURGED_ACTION = "workspace.purged";

/** How the purge's audit row names the workspace: `purged:` and 16 hex digits of its SHA-256. */
export function purgedTeamLabel(teamId: string): string {
  return `purged:${createHash("sha256").update(teamId).digest("hex").slice(0, 16)}`;
}

const dateOrNull = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * The tables holding a team's rows (a `team_id` column; views are not tables), children before
 * the tables their foreign keys point at, so each delete is counted where it happens instead of
 * vanishing into a cascade.
 */
async function teamTables(tx: Tx): Promise<string[]> {
  const tables = await queryRows<{ name: string }>(
    tx,
    sql`select c.table_name as name
        from information_schema.columns c
        join information_schema.tables t
          on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and c.column_name = 'team_id'
          and t.table_type = 'BASE TABLE'
        order by c.table_name`,
  );
  const links = await queryRows<{ child: string; parent: string }>(
    tx,
    sql`select child.relname as child, parent.relname as parent
        from pg_constraint k
        join pg_class child on child.oid = k.conrelid
        join pg_class parent on parent.oid = k.confrelid
        where k.contype = 'f' and k.connamespace = 'public'::regnamespace
          and k.conrelid <> k.confrelid`,
  );
  const remaining = new Set(tables.map((table) => table.name));
  const ordered: string[] = [];
  while (remaining.size > 0) {
    // A table goes once no remaining table points at it.
    const free = [...remaining].filter(
      (table) => !links.some((link) => link.parent === table && remaining.has(link.child)),
    );
    // A cycle (none today) falls back to name order: the cascades still remove everything.
    const batch = free.length > 0 ? free : [...remaining];
    for (const table of batch.sort()) {
      ordered.push(table);
      remaining.delete(table);
    }
  }
  return ordered;
}

export function createSqlWorkspaceLifecycle(db: Database): WorkspaceLifecycle {
  const stats = createSqlUserStats(db);

  return {
    async markUninstalled(teamId, at, purgeAfter) {
      // `least` skips nulls: a first uninstall sets both, a repeated one (tokens_revoked after
      // app_uninstalled) keeps the earlier times, so the grace period never grows.
      await db.execute(
        sql`insert into workspaces (team_id, uninstalled_at, purge_after)
            values (${teamId}, ${at.toISOString()}::timestamptz,
                    ${purgeAfter.toISOString()}::timestamptz)
            on conflict (team_id) do update
              set uninstalled_at = least(workspaces.uninstalled_at, excluded.uninstalled_at),
                  purge_after = least(workspaces.purge_after, excluded.purge_after),
                  updated_at = now()`,
      );
    },

    async markInstalled(teamId) {
      const cleared = await queryRows<{ team_id: string }>(
        db,
        sql`update workspaces set uninstalled_at = null, purge_after = null, updated_at = now()
            where team_id = ${teamId}
              and (uninstalled_at is not null or purge_after is not null)
            returning team_id`,
      );
      return cleared.length > 0;
    },

    async state(teamId) {
      const [row] = await queryRows<{
        team_id: string;
        uninstalled_at: string | Date | null;
        purge_after: string | Date | null;
      }>(
        db,
        sql`select team_id, uninstalled_at, purge_after from workspaces
            where team_id = ${teamId}`,
      );
      if (!row) return undefined;
      return {
        teamId: row.team_id,
        uninstalledAt: dateOrNull(row.uninstalled_at),
        purgeAfter: dateOrNull(row.purge_after),
      };
    },

    async dueForPurge(now) {
      const due = await queryRows<{ team_id: string }>(
        db,
        sql`select team_id from workspaces
            where uninstalled_at is not null and purge_after <= ${now.toISOString()}::timestamptz
            order by purge_after, team_id`,
      );
      return due.map((row) => row.team_id);
    },

    async purge(teamId, now) {
      const counts = await db.transaction(async (tx) => {
        // Locked: a reinstall committing meanwhile waits, then finds nothing left to restore,
        // or commits first and this finds the workspace installed.
        const [due] = await queryRows<{ team_id: string }>(
          tx,
          sql`select team_id from workspaces
              where team_id = ${teamId} and uninstalled_at is not null
                and purge_after <= ${now.toISOString()}::timestamptz
              for update`,
        );
        if (!due) return undefined;
        // The event log and the audit log refuse deletes without this opt-in (ADR-007);
        // SET LOCAL, so it ends with the transaction.
        await tx.execute(sql`select set_config('pup.allow_redaction', 'on', true)`);
        const removed: Record<string, number> = {};
        for (const table of await teamTables(tx)) {
          const [gone] = await queryRows<{ n: number }>(
            tx,
            sql`with gone as (delete from ${sql.identifier(table)} where team_id = ${teamId}
                              returning 1)
                select count(*)::int as n from gone`,
          );
          removed[table] = Number(gone?.n ?? 0);
        }
        // Counts per table only: nothing in the row says which workspace it was.
        await tx.execute(
          sql`insert into audit_log (team_id, actor, action, subject, details)
              values (${purgedTeamLabel(teamId)}, 'system', ${WORKSPACE_PURGED_ACTION}, null,
                      ${JSON.stringify({ counts: removed })}::jsonb)`,
        );
        return removed;
      });
      // The statistics view is refreshed after the commit, so no row of the team outlives it.
      if (counts) await stats.refresh();
      return counts;
    },
  };
}
