// WorkspaceSettings over SQL: one `workspace_settings` row per workspace, written on the first
// `/pup` command that changes a setting. Reads fall back to the documented defaults, so a
// workspace that never set anything needs no row.
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { workspaceSettings, workspaces } from "../../../../db/schema";
import {
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SUMMARY_SCHEDULE,
  type RetentionSetting,
  type WorkspaceSettings,
} from "../../ports/workspace-settings";

function retention(teamId: string, days: number | null | undefined): RetentionSetting {
  return days == null
    ? { teamId, days: DEFAULT_RETENTION_DAYS, explicit: false }
    : { teamId, days, explicit: true };
}

export function createSqlWorkspaceSettings(db: Database): WorkspaceSettings {
  async function row(teamId: string) {
    const rows = await db
      .select()
      .from(workspaceSettings)
      .where(eq(workspaceSettings.teamId, teamId))
      .limit(1);
    return rows[0];
  }

  // The settings row references the workspace; a command can arrive before anything else wrote
  // the workspace row (a fresh install), so make sure it exists rather than fail on the key.
  async function ensureWorkspace(teamId: string) {
    await db.insert(workspaces).values({ teamId }).onConflictDoNothing();
  }

  return {
    async getRetention(teamId) {
      return retention(teamId, (await row(teamId))?.retentionDays);
    },

    async setRetention(teamId, days, updatedBy) {
      await ensureWorkspace(teamId);
      await db
        .insert(workspaceSettings)
        .values({ teamId, retentionDays: days, updatedBy })
        .onConflictDoUpdate({
          target: workspaceSettings.teamId,
          set: { retentionDays: days, updatedBy, updatedAt: sql`now()` },
        });
    },

    async getSummarySchedule(teamId) {
      const found = await row(teamId);
      return found
        ? { hour: found.summaryHour, timeZone: found.timeZone }
        : { ...DEFAULT_SUMMARY_SCHEDULE };
    },

    async setSummarySchedule(teamId, schedule, updatedBy) {
      await ensureWorkspace(teamId);
      const values = { summaryHour: schedule.hour, timeZone: schedule.timeZone, updatedBy };
      await db
        .insert(workspaceSettings)
        .values({ teamId, ...values })
        .onConflictDoUpdate({
          target: workspaceSettings.teamId,
          set: { ...values, updatedAt: sql`now()` },
        });
    },

    async listRetention() {
      const rows = await db
        .select({ teamId: workspaces.teamId, days: workspaceSettings.retentionDays })
        .from(workspaces)
        .leftJoin(workspaceSettings, eq(workspaceSettings.teamId, workspaces.teamId))
        .orderBy(workspaces.teamId);
      return rows.map((r) => retention(r.teamId, r.days));
    },
  };
}
