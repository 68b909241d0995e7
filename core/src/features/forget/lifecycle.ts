/**
 * Uninstalls (ADR-034). `app_uninstalled`, or `tokens_revoked` naming a bot token, stops pup
 * answering the workspace at once (the state is written to the cache every process reads before
 * answering, and to the database); its data is purged once the grace period has passed, unless
 * a reinstall (a new installation, or core starting with a token Slack accepts for it) came
 * first. A purge removes every row of the workspace and everything of it in Redis.
 */
import { clearCopies, teamCacheEntries } from "./copies";
import { DEFAULT_UNINSTALL_GRACE_MS, type ForgetDeps } from "./deps";
import { jobOfTeam } from "./job-data";
import { enqueuePrivacyJob } from "./privacy-contract";

export const UNINSTALLED_ACTION = "workspace.uninstalled";
export const REINSTALLED_ACTION = "workspace.reinstalled";

/** How long a workspace's answering state is cached; the uninstall itself writes it at once. */
export const WORKSPACE_STATE_TTL_S = 60;

const stateKey = (teamId: string) => `workspace-state:${teamId}`;

/** The app was uninstalled from `teamId` (or its bot token revoked). */
export async function onUninstalled(
  deps: ForgetDeps,
  teamId: string,
  reason: "app_uninstalled" | "tokens_revoked",
): Promise<Date> {
  const at = new Date(deps.now());
  const purgeAfter = new Date(at.getTime() + (deps.uninstallGraceMs ?? DEFAULT_UNINSTALL_GRACE_MS));
  await deps.workspaceLifecycle.markUninstalled(teamId, at, purgeAfter);
  await deps.cache.set(stateKey(teamId), "uninstalled", WORKSPACE_STATE_TTL_S);
  await deps.auditLog.record({
    teamId,
    actor: "system",
    action: UNINSTALLED_ACTION,
    subject: teamId,
    details: { reason, purgeAfter: purgeAfter.toISOString() },
  });
  await enqueuePrivacyJob(
    deps,
    { kind: "purge-workspace", teamId, key: String(at.getTime()) },
    purgeAfter.getTime() - at.getTime(),
  );
  deps.logger.warn({ teamId, reason, purgeAfter }, "workspace uninstalled; pup stops answering it");
  return purgeAfter;
}

/** A reinstall within the grace period: pup answers again and nothing is purged. */
export async function onReinstalled(deps: ForgetDeps, teamId: string): Promise<boolean> {
  const restored = await deps.workspaceLifecycle.markInstalled(teamId);
  await deps.cache.delete(stateKey(teamId));
  if (restored) {
    await deps.auditLog.record({
      teamId,
      actor: "system",
      action: REINSTALLED_ACTION,
      subject: teamId,
      details: {},
    });
    deps.logger.info({ teamId }, "workspace reinstalled; pup answers it again");
  }
  return restored;
}

/** False while the workspace is uninstalled: pup remembers and answers nothing there. */
export async function isInstalled(
  deps: Pick<ForgetDeps, "cache" | "workspaceLifecycle">,
  teamId: string,
): Promise<boolean> {
  const cached = await deps.cache.get(stateKey(teamId));
  if (cached !== undefined) return cached !== "uninstalled";
  const state = await deps.workspaceLifecycle.state(teamId);
  const installed = !state?.uninstalledAt;
  await deps.cache.set(
    stateKey(teamId),
    installed ? "installed" : "uninstalled",
    WORKSPACE_STATE_TTL_S,
  );
  return installed;
}

/** Purges `teamId` if it is still uninstalled and due; true when it was purged. */
export async function purgeWorkspace(deps: ForgetDeps, teamId: string): Promise<boolean> {
  const rows = await deps.workspaceLifecycle.purge(teamId, new Date(deps.now()));
  if (!rows) return false;
  const cached = teamCacheEntries(teamId);
  const copies = await clearCopies(deps, teamId, {
    channelIds: [],
    cacheKeys: cached.keys,
    cachePrefixes: cached.prefixes,
    jobMatches: (job) => jobOfTeam(job.data, teamId),
  });
  await deps.shortTerm.forgetTeam(teamId);
  await deps.memoryBus.publish({ teamId, channelIds: [] });
  const total = Object.values(rows).reduce((sum, n) => sum + n, 0);
  // Counts only: the workspace's id is not repeated in the log either.
  deps.logger.warn({ rows: total, tables: Object.keys(rows).length, copies }, "workspace purged");
  return true;
}

/** Purges every workspace whose grace period has ended (the hourly check behind the delays). */
export async function purgeDueWorkspaces(deps: ForgetDeps): Promise<number> {
  let purged = 0;
  for (const teamId of await deps.workspaceLifecycle.dueForPurge(new Date(deps.now()))) {
    if (await purgeWorkspace(deps, teamId)) purged += 1;
  }
  return purged;
}
