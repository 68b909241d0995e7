// Directory over SQL: upserts that only overwrite the fields the caller provided.
import { and, eq } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { channels, users, workspaces } from "../../../../db/schema";
import type { Directory } from "../../ports/directory";
import { moveChannel, setChannelShared, setChannelVisibility } from "./channels";

/** The caller's defined fields minus the key columns, plus a fresh `updatedAt`. */
function changedFields<T extends object>(input: T, keys: readonly (keyof T)[]) {
  const fields: Record<string, unknown> = { updatedAt: new Date() };
  for (const [name, value] of Object.entries(input)) {
    if (value !== undefined && !keys.includes(name as keyof T)) fields[name] = value;
  }
  return fields;
}

export function createSqlDirectory(db: Database): Directory {
  return {
    async upsertWorkspace(workspace) {
      const [row] = await db
        .insert(workspaces)
        .values(workspace)
        .onConflictDoUpdate({
          target: workspaces.teamId,
          set: changedFields(workspace, ["teamId"]),
        })
        .returning();
      if (!row) throw new Error("workspace upsert returned no row");
      return row;
    },

    async getWorkspace(teamId) {
      const [row] = await db.select().from(workspaces).where(eq(workspaces.teamId, teamId));
      return row;
    },

    async upsertUser(user) {
      // forgotten_at is "forget me"'s alone (forget-store.ts): whatever a caller passes, an
      // update of a person's details never clears it, or their old words could come back.
      const { forgottenAt: _ignored, ...details } = user as typeof user & { forgottenAt?: unknown };
      const [row] = await db
        .insert(users)
        .values(details)
        .onConflictDoUpdate({
          target: [users.teamId, users.userId],
          set: changedFields(details, ["teamId", "userId"]),
        })
        .returning();
      if (!row) throw new Error("user upsert returned no row");
      return row;
    },

    async getUser(teamId, userId) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.teamId, teamId), eq(users.userId, userId)));
      return row;
    },

    async upsertChannel(channel) {
      const [row] = await db
        .insert(channels)
        .values(channel)
        .onConflictDoUpdate({
          target: [channels.teamId, channels.channelId],
          set: changedFields(channel, ["teamId", "channelId"]),
        })
        .returning();
      if (!row) throw new Error("channel upsert returned no row");
      return row;
    },

    async getChannel(teamId, channelId) {
      const [row] = await db
        .select()
        .from(channels)
        .where(and(eq(channels.teamId, teamId), eq(channels.channelId, channelId)));
      return row;
    },

    setChannelVisibility: (teamId, channelId, visibility) =>
      setChannelVisibility(db, teamId, channelId, visibility),
    moveChannel: (teamId, oldChannelId, newChannelId) =>
      moveChannel(db, teamId, oldChannelId, newChannelId),
    setChannelShared: (teamId, channelId, shared) =>
      setChannelShared(db, teamId, channelId, shared),
  };
}
