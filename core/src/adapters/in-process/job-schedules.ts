// Repeating jobs for the in-process queue, as BullMQ's job schedulers behave: each run adds one
// job from the template, keyed by its run time, then waits for the next; upserting an id
// replaces its timer. Daily runs come from shared/daily-schedule.ts (the BullMQ adapter's cron
// pattern names the same instants).
import type { JobQueue } from "../../ports/job-queue";
import { nextDailyRun } from "../../shared/daily-schedule";

export interface InProcessSchedules {
  schedule: JobQueue["schedule"];
  unschedule: JobQueue["unschedule"];
  /** Clears every timer (the queue closed). */
  clear(): void;
}

export function createInProcessSchedules(
  add: JobQueue["add"],
  isClosed: () => boolean,
): InProcessSchedules {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const keyOf = (queue: string, schedulerId: string) => `${queue}\u0000${schedulerId}`;
  return {
    async schedule(queueName, schedulerId, when, job) {
      if (isClosed()) throw new Error("in-process job queue is closed");
      const key = keyOf(queueName, schedulerId);
      clearTimeout(timers.get(key));
      const nextAt = (after: number) =>
        "daily" in when ? nextDailyRun(when.daily, after) : after + Math.max(1, when.everyMs);
      const arm = (runAt: number) => {
        const timer = setTimeout(
          () => {
            void add(queueName, job.name, job.data, {
              jobId: `repeat-${schedulerId}-${runAt}`,
            }).catch(() => {});
            if (!isClosed()) arm(nextAt(runAt));
          },
          Math.max(0, runAt - Date.now()),
        );
        timer.unref?.();
        timers.set(key, timer);
      };
      const nextRunAt = nextAt(Date.now());
      arm(nextRunAt);
      return { nextRunAt };
    },
    async unschedule(queueName, schedulerId) {
      const key = keyOf(queueName, schedulerId);
      clearTimeout(timers.get(key));
      timers.delete(key);
    },
    clear() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
