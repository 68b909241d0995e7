/**
 * How this process's working memory follows every forget (ADR-034): a notice on the memory bus
 * drops the channels it names (or the whole workspace when it names none); a gap (notices may
 * have been missed, e.g. after a Redis reconnect) drops every copy, since working memory is only
 * a cache and nothing forgotten may outlive its forget in any process.
 */
import { createWorkingMemory, type WorkingMemory } from "../features/memory";
import type { Logger } from "../ports/logger";
import type { MemoryBus } from "../ports/memory-bus";

/** Subscribes `working` to `bus`; returns the unsubscribe (call it when the process closes). */
export function followForgets(
  bus: MemoryBus,
  working: WorkingMemory,
  logger: Logger,
): Promise<() => Promise<void>> {
  return bus.subscribe({
    onNotice(notice) {
      if (notice.channelIds.length === 0) working.forgetTeam(notice.teamId);
      for (const channelId of notice.channelIds) working.forgetChannel(notice.teamId, channelId);
    },
    onGap() {
      const dropped = working.size;
      working.clear();
      logger.info({ dropped }, "memory bus: notices may have been missed; working memory cleared");
    },
  });
}

/**
 * A working memory that follows every forget on `bus`; its unsubscribe joins `closers` (run
 * when the process closes).
 */
export async function followingWorkingMemory(
  bus: MemoryBus,
  logger: Logger,
  closers: (() => Promise<void>)[],
  options: Parameters<typeof createWorkingMemory>[0],
): Promise<WorkingMemory> {
  const working = createWorkingMemory(options);
  closers.unshift(await followForgets(bus, working, logger));
  return working;
}
