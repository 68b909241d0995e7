/**
 * The fallback queue's consumer (the Worker's `queue()` handler): forwards each queued payload
 * to core again, acknowledging it only once core accepted it, and otherwise asking the queue to
 * redeliver it after an exponentially growing delay. After the consumer's `max_retries` the queue
 * itself moves the message to the dead-letter queue (wrangler.toml); nothing is dropped here.
 */
import { parseForwardedPayload } from "../../../protocol/forwarded-payload";
import type { EdgeLog } from "../app-env";
import type { CoreClient } from "./core-client";
import { createTraceparent, isTraceparent } from "./traceparent";
import type { QueueBatch, QueuedForward, QueueMessage } from "./types";

/** Per-attempt deadline for redeliveries: no Slack clock is running, so core gets longer. */
export const REDELIVERY_TIMEOUT_MS = 10_000;

/** How redeliveries are spaced, and when the queue gives up (must match wrangler.toml). */
export interface RedeliveryPolicy {
  /** Delay after the first failed attempt; doubled after each further one. */
  baseSeconds: number;
  /** Upper bound for the delay. */
  maxSeconds: number;
  /** The queue consumer's `max_retries`: after attempt `maxRetries + 1` the message is dead-lettered. */
  maxRetries: number;
}

/**
 * Seconds to wait before attempt `attempts + 1`: base, 2×base, 4×base … capped at `maxSeconds`.
 *
 * @param attempts deliveries so far, as `message.attempts` counts them (1 on the first)
 */
export function redeliveryDelaySeconds(attempts: number, policy: RedeliveryPolicy): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^31 seconds is already far beyond any cap; stopping there keeps the number finite.
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(exponent, 31));
}

export interface QueueConsumerOptions {
  client: Pick<CoreClient, "deliver">;
  policy: RedeliveryPolicy;
  log: EdgeLog;
  timeoutMs?: number;
}

/** Creates the handler for batches of {@link QueuedForward} messages. */
export function createQueueConsumer(
  options: QueueConsumerOptions,
): (batch: QueueBatch) => Promise<void> {
  const { client, policy, log } = options;
  const timeoutMs = options.timeoutMs ?? REDELIVERY_TIMEOUT_MS;

  function retryLater(message: QueueMessage, context: Record<string, unknown>): void {
    const delaySeconds = redeliveryDelaySeconds(message.attempts, policy);
    const final = message.attempts > policy.maxRetries;
    log({
      level: final ? "error" : "warn",
      msg: final
        ? "redelivery to core failed for the last time; the queue moves it to the dead-letter queue"
        : "redelivery to core failed; retrying later",
      messageId: message.id,
      attempts: message.attempts,
      ...(final ? {} : { delaySeconds }),
      ...context,
    });
    message.retry({ delaySeconds });
  }

  async function redeliver(message: QueueMessage): Promise<void> {
    const envelope = readEnvelope(message.body);
    if (!envelope.ok) {
      // Never dropped: it takes the same road to the dead-letter queue, where it can be read.
      retryLater(message, { problems: envelope.problems });
      return;
    }
    const { payload, meta } = envelope.value;
    const answer = await client.deliver(payload, meta, timeoutMs);
    if (answer.accepted) {
      message.ack();
      log({
        level: "info",
        msg: "queued payload delivered to core",
        id: payload.id,
        attempts: message.attempts,
        status: answer.status,
      });
      return;
    }
    retryLater(message, {
      id: payload.id,
      kind: payload.kind,
      traceparent: meta.traceparent,
      reason: answer.reason,
      ...(answer.error ? { error: answer.error } : {}),
    });
  }

  return async (batch) => {
    await Promise.all(batch.messages.map(redeliver));
  };
}

type EnvelopeResult = { ok: true; value: QueuedForward } | { ok: false; problems: string[] };

/** Checks a queue message body; it crossed a serialisation boundary, so trust nothing. */
function readEnvelope(body: unknown): EnvelopeResult {
  if (typeof body !== "object" || body === null) return { ok: false, problems: ["not an object"] };
  const { payload, meta } = body as { payload?: unknown; meta?: Partial<QueuedForward["meta"]> };
  const parsed = parseForwardedPayload(payload);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `payload.${p}`) };
  // A lost trace is no reason to hold back a delivery: start a new one.
  const carried = meta?.traceparent;
  const traceparent =
    typeof carried === "string" && isTraceparent(carried) ? carried : createTraceparent();
  return {
    ok: true,
    value: {
      payload: parsed.payload,
      meta: {
        traceparent,
        queuedAt: typeof meta?.queuedAt === "string" ? meta.queuedAt : "",
        reason: typeof meta?.reason === "string" ? meta.reason : "",
      },
    },
  };
}
