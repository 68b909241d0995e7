/**
 * An in-process stand-in for the edge's Cloudflare Queue (`CORE_FALLBACK_QUEUE` and its
 * consumer). Without one, a payload core does not accept within FORWARD_DEADLINE_MS (700 ms)
 * is refused with a 5xx, and the demo page, unlike Slack, never retries. With it the edge takes
 * its real fallback path: the payload is kept here and handed to the edge's own queue consumer
 * after the delay it asks for, until core accepts it. Nothing survives a restart, which is the
 * one way it differs from the real queue (a demo stops with its page anyway).
 */
import type { EdgeLog } from "../edge/src/app-env";
import type { QueueProducerBinding } from "../edge/src/env";
import type { QueueBatch, QueueMessage } from "../edge/src/forward";

export interface InProcessQueue {
  binding: QueueProducerBinding;
  /** Starts delivering to `consume` (the edge's consumer exists only after the binding). */
  consumeWith(consume: (batch: QueueBatch) => Promise<void>): void;
  /** Stops redeliveries; returns how many messages were still waiting. */
  stop(): number;
}

export interface InProcessQueueOptions {
  /** Cloudflare's queue name, reported to the consumer. */
  name: string;
  /** The consumer's `max_retries`: after that many retries a message is given up (logged). */
  maxRetries: number;
  log: EdgeLog;
}

/** Creates the queue; messages sent before `consumeWith` wait for it. */
export function createInProcessQueue(options: InProcessQueueOptions): InProcessQueue {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const waiting: { body: unknown; attempts: number }[] = [];
  let consume: ((batch: QueueBatch) => Promise<void>) | undefined;
  let stopped = false;
  let nextId = 1;

  function schedule(body: unknown, attempts: number, delaySeconds: number): void {
    if (stopped) return;
    if (!consume) {
      waiting.push({ body, attempts });
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      void deliver(body, attempts);
    }, delaySeconds * 1000);
    timers.add(timer);
  }

  async function deliver(body: unknown, attempts: number): Promise<void> {
    let retryDelay: number | undefined;
    let acked = false;
    const message: QueueMessage = {
      id: `demo-${nextId++}`,
      body,
      attempts,
      ack: () => {
        acked = true;
      },
      retry: (retry) => {
        retryDelay = retry?.delaySeconds ?? 0;
      },
    };
    try {
      await consume?.({ queue: options.name, messages: [message] });
    } catch (error) {
      // A consumer that throws has its whole batch retried, as Cloudflare does.
      options.log({ level: "warn", msg: "fallback consumer failed", error: String(error) });
      retryDelay ??= 1;
    }
    if (acked || retryDelay === undefined) return;
    if (attempts > options.maxRetries) {
      options.log({ level: "error", msg: "fallback queue gave up a payload", attempts });
      return;
    }
    schedule(body, attempts + 1, retryDelay);
  }

  // Like the real queue, a message crosses a serialisation boundary: the consumer gets a copy.
  const send = (body: unknown, delaySeconds = 0) =>
    schedule(structuredClone(body), 1, delaySeconds);

  return {
    binding: {
      async send(body, sendOptions) {
        send(body, sendOptions?.delaySeconds);
      },
      async sendBatch(messages) {
        for (const message of messages) send(message.body, message.delaySeconds);
      },
    },
    consumeWith(consumer) {
      consume = consumer;
      for (const { body, attempts } of waiting.splice(0)) schedule(body, attempts, 0);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      const pending = timers.size + waiting.length;
      timers.clear();
      waiting.length = 0;
      return pending;
    },
  };
}
