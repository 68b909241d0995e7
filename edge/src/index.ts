/**
 * The Cloudflare Worker entry (wrangler.toml `main`): `fetch` serves Slack through the app, and
 * `queue` drains the fallback queue (`pup-core-fallback`) into core. The app is built once per
 * isolate; bindings arrive with each request or batch, so whatever depends on them (the parsed
 * config, the core client with its signing key and pooled connections) is built once per
 * bindings object and cached by its identity.
 */

import { createApp } from "./app";
import type { EdgeLog } from "./app-env";
import { createEdgeConfigReader, type EdgeBindings, type EdgeConfig } from "./env";
import { createForwarding, type Forwarding, type QueueBatch } from "./forward";

const log: EdgeLog = (entry) => console.error(JSON.stringify(entry));

// workerd hands every request of an isolate the same `env`; a WeakMap lets a replaced one
// (new deployment, tests) get its own client and lets the old one be collected.
const forwardings = new WeakMap<EdgeBindings, Forwarding>();

function forwardingFor(env: EdgeBindings, config: EdgeConfig): Forwarding {
  let forwarding = forwardings.get(env);
  if (!forwarding) {
    forwarding = createForwarding({ config, queue: env.CORE_FALLBACK_QUEUE, log });
    forwardings.set(env, forwarding);
  }
  return forwarding;
}

const app = createApp({
  log,
  forwarderFor: (c) => forwardingFor(c.env, c.get("config")).forwarder,
});

const readConfig = createEdgeConfigReader((problems) =>
  log({ level: "error", msg: "edge misconfigured: queued payloads wait", problems }),
);

/** Redelivery delay while the Worker's own configuration is broken: no point trying sooner. */
const MISCONFIGURED_RETRY_SECONDS = 60;

export default {
  fetch: app.fetch,

  /** The fallback queue's consumer; messages go back to the queue until core accepts them. */
  async queue(batch: QueueBatch, env: EdgeBindings): Promise<void> {
    const result = readConfig(env);
    if (!result.ok) {
      for (const message of batch.messages) {
        message.retry({ delaySeconds: MISCONFIGURED_RETRY_SECONDS });
      }
      return;
    }
    await forwardingFor(env, result.config).consumeQueue(batch);
  },
};
