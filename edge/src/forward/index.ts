/**
 * Public face of edge/src/forward: builds the forwarder the routes use and the queue consumer
 * the Worker's `queue()` handler runs, both from the parsed configuration and the bindings.
 * Both share one core client, so an isolate signs with one imported key and reuses its
 * outbound connections across requests.
 */
import type { EdgeLog } from "../app-env";
import type { EdgeConfig, QueueProducerBinding } from "../env";
import { createQueueConsumer, type RedeliveryPolicy } from "./consumer";
import { type CoreClientOptions, createCoreClient } from "./core-client";
import { createFallbackForwarder } from "./fallback";
import { createGroupCommit } from "./group-commit";
import type { Forwarder, QueueBatch } from "./types";

export { createTraceparent, isTraceparent } from "./traceparent";
export {
  type Forwarder,
  ForwardFailedError,
  type ForwardMeta,
  type ForwardOutcome,
  type QueueBatch,
  type QueuedForward,
  type QueueMessage,
} from "./types";

export interface ForwardingOptions {
  config: EdgeConfig;
  /** The CORE_FALLBACK_QUEUE binding, if bound. */
  queue: QueueProducerBinding | undefined;
  log: EdgeLog;
  /** Default: the runtime's `fetch` (tests may pass another). */
  fetch?: CoreClientOptions["fetch"];
}

/** What one configuration needs to forward: the routes' forwarder and the queue handler. */
export interface Forwarding {
  forwarder: Forwarder;
  consumeQueue(batch: QueueBatch): Promise<void>;
}

/**
 * A batch stops growing past this much payload JSON: well under core's body limit even when
 * the last payload added is itself close to Slack's 1 MB.
 */
const BATCH_MAX_BYTES = 512 * 1024;

/** Builds the forwarder and the queue consumer around one shared core client. */
export function createForwarding(options: ForwardingOptions): Forwarding {
  const { config, queue, log } = options;
  const client = createCoreClient({
    coreUrl: config.coreUrl,
    secret: config.coreSharedSecret,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const policy: RedeliveryPolicy = config.forwardRedelivery;
  return {
    forwarder: createFallbackForwarder({
      client: createGroupCommit({
        client,
        concurrency: config.forwardBatching.concurrency,
        maxItems: config.forwardBatching.maxItems,
        maxBytes: BATCH_MAX_BYTES,
      }),
      queue,
      deadlineMs: config.forwardDeadlineMs,
      log,
    }),
    consumeQueue: createQueueConsumer({ client, policy, log }),
  };
}
