/**
 * Part 1 of the forget benchmark: what forgetting one message (every Slack deletion) costs in
 * Redis. The `message` queue keeps finished jobs a day, so it holds thousands; the purge by the
 * message's job ids (what core does since ADR-034's amendment) is timed against the walk over
 * every job (what it did before), both through the real BullMQ adapter.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { createBullMqJobQueue, createBullMqJobRunner } from "../../../core/src/adapters/redis";
import { jobOfMessage } from "../../../core/src/features/forget";
import { type MessageJobData, messageJob, messageJobId } from "../../../core/src/features/intake";
import { enqueueJob } from "../../../core/src/shared/jobs";
import { percentile, timeMs } from "../stats";

const CHANNELS = 20;
const PEOPLE = 10;
/** Adds in flight at once while filling the queue. */
const IN_FLIGHT = 64;
/** No-op jobs run at once: fast enough to finish 20,000 in seconds on two cores. */
const RUNNER_CONCURRENCY = 50;

export interface JobPurgeTimings {
  jobs: number;
  runs: number;
  /** ms per purge: by the message's job ids, and walking every job of the queue. */
  byIds: number[];
  walking: number[];
}

/** One posted message: its payload and its edit's, as acceptance queues them (inlined). */
function jobsOfMessage(teamId: string, n: number): { ref: MessageRef; data: MessageJobData[] } {
  const channel = `C${String(n % CHANNELS).padStart(4, "0")}`;
  const user = `U${String(n % PEOPLE).padStart(4, "0")}`;
  const ts = `${1_760_000_000 + n}.000100`;
  const text = `message ${n}: the release train leaves on Wednesday, can someone review PR ${n}?`;
  const event = { type: "message", user, text, ts, channel, event_ts: ts, channel_type: "channel" };
  const edit = {
    type: "message",
    subtype: "message_changed",
    channel,
    ts: `${1_760_000_000 + n}.000200`,
    message: { ...event, text: `${text} (edited)`, edited: { user, ts } },
    previous_message: event,
  };
  const data = [event, edit].map((inner, i): MessageJobData => {
    const eventId = `Ev${n}x${i}`;
    const payload = {
      token: "bench",
      team_id: teamId,
      api_app_id: "A0BENCH",
      type: "event_callback",
      event_id: eventId,
      event_time: 1_760_000_000 + n,
      event: inner,
    };
    return {
      teamId,
      eventId,
      kind: "event",
      event: {
        id: n * 2 + i + 1,
        teamId,
        eventId,
        kind: "event",
        eventType: "message",
        userId: i === 0 ? user : null,
        channelId: channel,
        payload,
        retryNum: null,
        retryReason: null,
        receivedAt: new Date(),
      },
    };
  });
  return { ref: { channelId: channel, ts }, data };
}

interface MessageRef {
  channelId: string;
  ts: string;
}

/**
 * Fills the `message` queue under `prefix` with `messages` messages' jobs (two each), all
 * completed by a no-op runner, then times `runs` purges of one message each way. Every purge
 * must remove exactly that message's two jobs, or the run fails.
 */
export async function measureJobPurge(
  redis: Redis,
  prefix: string,
  messages: number,
  runs: number,
): Promise<JobPurgeTimings> {
  const teamId = "T0BENCHFGT";
  const queue = createBullMqJobQueue({ connection: redis, prefix });
  const runner = createBullMqJobRunner({ connection: redis, prefix });
  const jobs = messages * 2;
  let handled = 0;
  let allHandled: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allHandled = resolve;
  });
  try {
    await runner.start(
      {
        message: async () => {
          handled += 1;
          if (handled === jobs) allHandled();
        },
      },
      { perQueue: { message: RUNNER_CONCURRENCY } },
    );
    let next = 0;
    const adder = async () => {
      for (let n = next++; n < messages; n = next++) {
        for (const data of jobsOfMessage(teamId, n).data) {
          const { added } = await enqueueJob(queue, messageJob, data);
          if (!added) throw new Error(`bench: job of message ${n} not added`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, adder));
    await done;
    // A plain stop waits for the last completions to be written.
    await runner.stop(10_000);
    await expectCompleted(redis, prefix, jobs);

    // Each purge forgets a message of its own, spread over the queue's whole history.
    const stride = Math.max(1, Math.floor(messages / (2 * (runs + 2))));
    const target = (k: number) => jobsOfMessage(teamId, k * stride);
    const purge = async (k: number, byIds: boolean) => {
      const { ref, data } = target(k);
      const matches = (job: { data: unknown }) =>
        jobOfMessage(job.data, teamId, ref.channelId, ref.ts);
      const ids = data.map((d) => messageJobId(d.teamId, d.eventId));
      let removed = 0;
      const ms = await timeMs(async () => {
        removed = await queue.purge("message", matches, byIds ? { ids } : undefined);
      });
      if (removed !== 2) throw new Error(`bench: purge removed ${removed} jobs, not 2`);
      return ms;
    };
    const byIds: number[] = [];
    const walking: number[] = [];
    // Two warm-up rounds, then the systems take turns, alternating who goes first.
    for (let round = -2; round < runs; round++) {
      const k = (round + 2) * 2;
      const idsFirst = round % 2 === 0;
      const a = await purge(idsFirst ? k : k + 1, idsFirst);
      const b = await purge(idsFirst ? k + 1 : k, !idsFirst);
      if (round < 0) continue;
      byIds.push(idsFirst ? a : b);
      walking.push(idsFirst ? b : a);
    }
    return { jobs, runs, byIds, walking };
  } finally {
    await runner.stop(2_000);
    await queue.close();
  }
}

/** Fails the bench unless BullMQ holds exactly `jobs` completed message jobs. */
async function expectCompleted(redis: Redis, prefix: string, jobs: number): Promise<void> {
  const raw = new Queue("message", { connection: redis, prefix });
  try {
    const counts = await raw.getJobCounts("completed", "failed", "wait", "active");
    if (counts.completed !== jobs) {
      throw new Error(
        `bench: ${counts.completed} of ${jobs} jobs completed (${JSON.stringify(counts)})`,
      );
    }
  } finally {
    await raw.close();
  }
}

/** Median and p95 of each way, in ms. */
export function jobPurgeSummary(t: JobPurgeTimings) {
  return {
    p50: { byIds: percentile(t.byIds, 50), walking: percentile(t.walking, 50) },
    p95: { byIds: percentile(t.byIds, 95), walking: percentile(t.walking, 95) },
  };
}
