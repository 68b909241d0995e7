/**
 * What the queue benchmarks share: BullMQ's own throughput for jobs that do nothing (the baseline
 * a pup queue is compared with, on the same Redis in the same run) and removing a run's keys.
 */
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";

/** Jobs per second BullMQ completes for `jobs` no-op jobs at `concurrency`. */
export async function noopThroughput(
  redis: Redis,
  prefix: string,
  jobs: number,
  concurrency: number,
): Promise<number> {
  const queue = new Queue("noop", { connection: redis.duplicate(), prefix });
  await queue.addBulk(Array.from({ length: jobs }, (_, i) => ({ name: "noop", data: { i } })));
  let done = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const worker = new Worker("noop", async () => {}, {
      connection: redis.duplicate({ maxRetriesPerRequest: null }),
      prefix,
      concurrency,
    });
    worker.on("completed", () => {
      done += 1;
      if (done === jobs) void worker.close().then(() => resolve());
    });
  });
  const seconds = (performance.now() - start) / 1000;
  await queue.obliterate({ force: true });
  await queue.close();
  return jobs / seconds;
}

/** Deletes every key starting with `prefix` (a run's own keys, never FLUSHALL). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
