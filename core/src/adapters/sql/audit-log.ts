// AuditLog over SQL. The table is append-only (trigger), so this adapter only inserts and reads.
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { auditLog } from "../../../../db/schema";
import type { AuditLog } from "../../ports/audit-log";

export function createSqlAuditLog(db: Database): AuditLog {
  return {
    async record(entry) {
      const [row] = await db
        .insert(auditLog)
        .values({
          teamId: entry.teamId,
          actor: entry.actor,
          action: entry.action,
          subject: entry.subject ?? null,
          details: entry.details ?? {},
        })
        .returning();
      if (!row) throw new Error("audit_log insert returned no row");
      return row;
    },

    async list(teamId, options = {}) {
      const filters = [eq(auditLog.teamId, teamId)];
      if (options.action) filters.push(eq(auditLog.action, options.action));
      return db
        .select()
        .from(auditLog)
        .where(and(...filters))
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(options.limit ?? 100);
    },
  };
}
