// MemoryBus in process memory, for the demo (no REDIS_URL) and tests: one process, so a notice
// reaches every subscriber at once, inside publish(). Nothing can be missed, so there is no gap.
import type { ForgetNotice, MemoryBus } from "../../ports/memory-bus";

type Handlers = Parameters<MemoryBus["subscribe"]>[0];

/** Creates an in-process {@link MemoryBus}: synchronous delivery to every subscriber. */
export function createInProcessMemoryBus(): MemoryBus {
  const subscribers = new Set<Handlers>();
  return {
    async publish(notice) {
      const failures: unknown[] = [];
      // Each subscriber gets its own copy, and one that throws does not stop the others.
      for (const handlers of [...subscribers]) {
        try {
          handlers.onNotice(copyOf(notice));
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },

    async subscribe(handlers) {
      // A fresh object per subscription, so subscribing the same handlers twice is two entries.
      const entry: Handlers = {
        onNotice: (notice) => handlers.onNotice(notice),
        onGap: () => handlers.onGap(),
      };
      subscribers.add(entry);
      return async () => {
        subscribers.delete(entry);
      };
    },
  };
}

function copyOf(notice: ForgetNotice): ForgetNotice {
  return { teamId: notice.teamId, channelIds: [...notice.channelIds] };
}
