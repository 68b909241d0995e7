import type { Ports } from "../../ports";
import type { AdminDeps } from "../admin";

/**
 * What forgetting touches (ADR-034): the database's purge, every copy outside it (short-term
 * memory, caches, queued and finished jobs, other processes' working memory), the summary
 * rewrites, and who may forget a message that is not theirs (admins).
 */
export type ForgetDeps = AdminDeps &
  Pick<
    Ports,
    | "forgets"
    | "workspaceLifecycle"
    | "memoryBus"
    | "shortTerm"
    | "cache"
    | "queue"
    | "auditLog"
    | "logger"
    | "now"
  > & {
    /**
     * How long after a forget the sweep runs again (catching a reply or a delivery that was in
     * flight). Default {@link DEFAULT_SWEEP_DELAY_MS}.
     */
    forgetSweepDelayMs?: number;
    /** How long an uninstalled workspace's data is kept (a reinstall restores it). */
    uninstallGraceMs?: number;
  };

/** Past the longest reply (PUP_REPLY_TIMEOUT_MS) and claim lease (180 s) with room to spare. */
export const DEFAULT_SWEEP_DELAY_MS = 5 * 60 * 1000;
/** Three days: a mistaken uninstall is noticed in time, and no data is kept longer than that. */
export const DEFAULT_UNINSTALL_GRACE_MS = 3 * 24 * 60 * 60 * 1000;
