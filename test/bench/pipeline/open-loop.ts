/**
 * An open-loop, fixed-rate event run that follows each event to its reply in the local Slack.
 *
 * Event i is due at start + i / rate and is sent at its due time whether or not earlier events
 * were answered (Slack does not wait for pup either), and every latency is counted from the due
 * time, not from when the event actually went out: a process that falls behind (the load, core,
 * the worker and the fakes share one event loop) cannot hide its queue (no coordinated omission).
 *
 * "Post out" is the first moment the bot's message in the event's thread shows text (a
 * `message_posted` or `message_changed` from the fake Slack, whichever first carries text: with
 * chat.startStream that is the stream's first words). The finished reply (the stream stopped, or
 * the last change of a plain post) is recorded beside it.
 */
import type { FakeSlack } from "../../fakes/slack";

/** One event of a run and what became of it. Times are `performance.now()` milliseconds. */
export interface EventSample {
  index: number;
  /** Counted in the statistics (false for warm-up events). */
  measured: boolean;
  due: number;
  channel: string;
  /** The person's message the event is about; the bot's reply goes into its thread. */
  ts: string;
  eventId: string;
  /** When the event actually went out (later than `due` when the process falls behind). */
  sentAt: number;
  /** When the forward's HTTP answer came back, and its status. */
  ackAt?: number;
  status?: number;
  error?: string;
  /** First bot text visible in the thread. */
  firstTextAt?: number;
  /** The reply finished (stream completed, or the latest change of a plain post). */
  completedAt?: number;
  /** Bot messages posted in the thread (more than 1 is a duplicate reply). */
  posts: number;
}

/** What a system under test does for one event: make it exist, then deliver it. */
export interface EventSource {
  /** Creates event `index` (its message already in the local Slack), ready to send. */
  prepare(index: number): { channel: string; ts: string; eventId: string; send(): Promise<number> };
}

export interface OpenLoopPlan {
  /** Events per second. */
  rate: number;
  /** Seconds sent at the same rate first, and not counted. */
  warmupSeconds: number;
  /** Seconds measured. */
  seconds: number;
  /** Longest wait, after the last event was sent, for the replies still missing. */
  drainTimeoutMs: number;
}

export interface OpenLoopRun {
  samples: EventSample[];
  /** `performance.now()` of the first measured event's due time, and of the last send. */
  measuredFrom: number;
  lastSentAt: number;
  /** Date.now() minus performance.now() during the run (to place log timestamps). */
  wallOffset: number;
  /**
   * CPU time (user + system) this whole process spent from the first event to the last reply,
   * per event sent (warm-up included): the load, the system under test and the fakes.
   */
  cpuMsPerEvent: number;
}

/**
 * Runs the plan against `source`, following the bot's (`botUserId`) messages in `slack`.
 * Resolves once every event has its finished reply or the drain timeout has passed.
 */
export async function runOpenLoop(
  plan: OpenLoopPlan,
  slack: FakeSlack,
  botUserId: string,
  source: EventSource,
): Promise<OpenLoopRun> {
  const warmup = Math.round(plan.rate * plan.warmupSeconds);
  const total = warmup + Math.round(plan.rate * plan.seconds);
  const intervalMs = 1000 / plan.rate;
  const samples: EventSample[] = [];
  const byThread = new Map<string, EventSample>();
  let pending = 0;
  let allDone: (() => void) | undefined;

  const unsubscribe = slack.subscribe((event) => {
    if (event.type !== "message_posted" && event.type !== "message_changed") return;
    const { message } = event;
    if (message.user !== botUserId || message.thread_ts === undefined) return;
    const sample = byThread.get(`${event.channel}:${message.thread_ts}`);
    if (!sample) return;
    const now = performance.now();
    if (event.type === "message_posted") sample.posts += 1;
    const hasText = (message.text ?? "") !== "";
    if (hasText && sample.firstTextAt === undefined) sample.firstTextAt = now;
    const finished =
      message.streaming_state === undefined ? hasText : message.streaming_state === "completed";
    if (finished) {
      if (sample.completedAt === undefined) pending -= 1;
      sample.completedAt = now;
      if (pending === 0) allDone?.();
    }
  });

  const sends: Promise<void>[] = [];
  const wallOffset = Date.now() - performance.now();
  const cpuBefore = process.cpuUsage();
  const start = performance.now() + 50;
  let lastSentAt = start;
  try {
    for (let i = 0; i < total; i++) {
      const due = start + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      const sentAt = performance.now();
      const event = source.prepare(i);
      const sample: EventSample = {
        index: i,
        measured: i >= warmup,
        due,
        channel: event.channel,
        ts: event.ts,
        eventId: event.eventId,
        sentAt,
        posts: 0,
      };
      samples.push(sample);
      byThread.set(`${event.channel}:${event.ts}`, sample);
      pending += 1;
      lastSentAt = performance.now();
      sends.push(
        event.send().then(
          (status) => {
            sample.ackAt = performance.now();
            sample.status = status;
          },
          (error: unknown) => {
            sample.ackAt = performance.now();
            sample.error = error instanceof Error ? error.message : String(error);
          },
        ),
      );
    }
    await Promise.all(sends);
    if (pending > 0) {
      const done = new Promise<void>((resolve) => {
        allDone = resolve;
      });
      await Promise.race([done, Bun.sleep(plan.drainTimeoutMs)]);
    }
  } finally {
    unsubscribe();
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    samples,
    measuredFrom: start + warmup * intervalMs,
    lastSentAt,
    wallOffset,
    cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / Math.max(1, samples.length),
  };
}
