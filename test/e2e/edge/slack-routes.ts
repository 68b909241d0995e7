/**
 * What the route suites (events, commands, interactions; happy, error, security) share: the
 * bundled edge in real workerd (the shared harness, workerd.ts) in front of a fake core, and
 * senders that sign requests the way Slack does at the current time.
 */
import { type FakeCore, startFakeCore } from "./fake-core";
import { signedFormHeaders, signedJsonHeaders } from "./slack-requests";
import {
  type EdgeUnderTest,
  type StartEdgeOptions,
  startEdge,
  TEST_CORE_SHARED_SECRET,
} from "./workerd";

export interface RoutesUnderTest {
  edge: EdgeUnderTest;
  core: FakeCore;
  /** POSTs a signed JSON delivery to `/slack/events`. */
  sendEvent(envelope: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POSTs signed form fields (a slash command, or ssl_check) to `path`. */
  sendForm(path: string, fields: Record<string, string>): Promise<Response>;
  /** POSTs a signed interaction (`payload=<json>`) to `/slack/interactions`. */
  sendInteraction(payload: unknown): Promise<Response>;
  /** The edge's `/healthz` counters. */
  counters(): Promise<Record<string, number>>;
  /** Ids of what reached core so far (the edge acknowledges only after core accepted). */
  coreDeliveries(): string[];
  stop(): Promise<void>;
}

/** Starts a fake core and the edge forwarding to it. Always `stop()` it. */
export async function startRoutes(options: StartEdgeOptions = {}): Promise<RoutesUnderTest> {
  const core = await startFakeCore({ secret: TEST_CORE_SHARED_SECRET });
  const edge = await startEdge({ coreUrl: core.url, ...options });
  const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  return {
    edge,
    core,
    async sendEvent(envelope, headers = {}) {
      const body = JSON.stringify(envelope);
      const signed = await signedJsonHeaders(body);
      return edge.fetch("/slack/events", {
        method: "POST",
        body,
        headers: { ...signed, ...headers },
      });
    },
    async sendForm(path, fields) {
      const body = formBody(fields);
      return edge.fetch(path, { method: "POST", body, headers: await signedFormHeaders(body) });
    },
    async sendInteraction(payload) {
      const body = formBody({ payload: JSON.stringify(payload) });
      const headers = await signedFormHeaders(body);
      return edge.fetch("/slack/interactions", { method: "POST", body, headers });
    },
    async counters() {
      const health = (await (await edge.fetch("/healthz")).json()) as {
        counters: Record<string, number>;
      };
      return health.counters;
    },
    coreDeliveries: () => core.deliveries.map((delivery) => delivery.payload.id),
    async stop() {
      await edge.dispose();
      await core.stop();
    },
  };
}
