/**
 * The forwarding port the edge's routes depend on, and the envelope a payload travels in when
 * core could not take it at once. Routes call a {@link Forwarder} and never fetch core
 * themselves; the real one (fallback.ts) tries core within a deadline and falls back to the
 * Cloudflare Queue, so an acknowledged delivery is always either accepted by core or durable.
 */
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";

/** Per-delivery context that travels with the payload to core. */
export interface ForwardMeta {
  /** W3C trace context (`00-<trace id>-<span id>-<flags>`) for this delivery. */
  traceparent: string;
}

/**
 * Where a payload ended up: `accepted` = core answered 202/200 within the deadline; `queued` =
 * it is durable in the fallback queue and the queue consumer will deliver it.
 */
export type ForwardOutcome = "accepted" | "queued";

/** Hands verified Slack deliveries to core. */
export interface Forwarder {
  /**
   * Resolves only when the payload is safe (accepted or queued); the caller may then
   * acknowledge Slack. Rejects with {@link ForwardFailedError} when it is neither: the caller
   * must answer 5xx so that Slack retries the delivery.
   */
  forward(payload: ForwardedPayload, meta: ForwardMeta): Promise<ForwardOutcome>;
}

/** A delivery that is neither accepted by core nor queued: Slack must be made to retry it. */
export class ForwardFailedError extends Error {
  readonly code = "forward_failed";
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ForwardFailedError";
  }
}

/** One message on the fallback queue (`pup-core-fallback`): the payload and how it got there. */
export interface QueuedForward {
  payload: ForwardedPayload;
  meta: ForwardMeta & {
    /** When the edge queued it, ISO 8601. */
    queuedAt: string;
    /** Why core did not accept it in time, e.g. `timeout`, `network`, `status 500`. */
    reason: string;
  };
}

/** One message as a queue consumer receives it (the subset of Cloudflare's `Message` used). */
export interface QueueMessage<Body = unknown> {
  readonly id: string;
  readonly body: Body;
  /** 1 on the first delivery, incremented on every redelivery. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** A batch as the `queue()` handler receives it (the subset of Cloudflare's `MessageBatch`). */
export interface QueueBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
}
