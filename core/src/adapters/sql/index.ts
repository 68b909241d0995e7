// The SQL adapter's public face: every data port, built over one drizzle database (PostgreSQL or
// PGlite alike).
import type { Database } from "../../../../db/client";
import type { TokenCipher } from "../../../../db/token-cipher";
import type { AuditLog } from "../../ports/audit-log";
import type { BotReplyLog } from "../../ports/bot-reply-log";
import type { DerivedMemory } from "../../ports/derived-memory";
import type { Directory } from "../../ports/directory";
import type { EventLog } from "../../ports/event-log";
import type { ForgetStore } from "../../ports/forget-store";
import type { InstallationStore } from "../../ports/installation-store";
import type { MessageStore } from "../../ports/message-store";
import type { MoodStore } from "../../ports/mood-store";
import type { ProfileStore } from "../../ports/profile-store";
import type { RetentionStore } from "../../ports/retention-store";
import type { RoleGrants } from "../../ports/role-grants";
import type { UserStats } from "../../ports/user-stats";
import type { WorkspaceLifecycle } from "../../ports/workspace-lifecycle";
import type { WorkspaceSettings } from "../../ports/workspace-settings";
import { createSqlAuditLog } from "./audit-log";
import { createSqlBotReplyLog } from "./bot-reply-log";
import { createSqlDerivedMemory } from "./derived-memory";
import { createSqlDirectory } from "./directory";
import { createSqlEventLog } from "./event-log";
import { createSqlForgetStore } from "./forget-store";
import { createSqlInstallationStore } from "./installation-store";
import { createSqlMessageStore } from "./message-store";
import { createSqlMoodStore } from "./mood-store";
import { createSqlProfileStore } from "./profile-store";
import { createSqlRetentionStore } from "./retention-store";
import { createSqlRoleGrants } from "./role-grants";
import { createSqlUserStats } from "./user-stats";
import { createSqlWorkspaceLifecycle } from "./workspace-lifecycle";
import { createSqlWorkspaceSettings } from "./workspace-settings";

// Forgetting's purges (ADR-034); the process starter builds them beside the data access.
export { createSqlForgetStore } from "./forget-store";
export { createSqlWorkspaceLifecycle } from "./workspace-lifecycle";

export interface SqlDataAccess {
  eventLog: EventLog;
  messages: MessageStore;
  directory: Directory;
  auditLog: AuditLog;
  installations: InstallationStore;
  botReplies: BotReplyLog;
  userStats: UserStats;
  derived: DerivedMemory;
  profiles: ProfileStore;
  moods: MoodStore;
  roleGrants: RoleGrants;
  workspaceSettings: WorkspaceSettings;
  retention: RetentionStore;
  forgets: ForgetStore;
  workspaceLifecycle: WorkspaceLifecycle;
}

export function createSqlDataAccess(db: Database, tokenCipher: TokenCipher): SqlDataAccess {
  return {
    eventLog: createSqlEventLog(db),
    messages: createSqlMessageStore(db),
    directory: createSqlDirectory(db),
    auditLog: createSqlAuditLog(db),
    installations: createSqlInstallationStore(db, tokenCipher),
    botReplies: createSqlBotReplyLog(db),
    userStats: createSqlUserStats(db),
    derived: createSqlDerivedMemory(db),
    profiles: createSqlProfileStore(db),
    moods: createSqlMoodStore(db),
    roleGrants: createSqlRoleGrants(db),
    workspaceSettings: createSqlWorkspaceSettings(db),
    retention: createSqlRetentionStore(db),
    forgets: createSqlForgetStore(db),
    workspaceLifecycle: createSqlWorkspaceLifecycle(db),
  };
}
