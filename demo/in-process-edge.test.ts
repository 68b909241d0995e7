import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import pino from "pino";
import { type FakeCore, startFakeCore } from "../test/e2e/edge/fake-core";
import { createInProcessEdge, type InProcessEdge } from "./in-process-edge";

const SIGNING_SECRET = "demo-signing-secret";
const CORE_SECRET = "c".repeat(40);

let core: FakeCore;
let edge: InProcessEdge;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  core = await startFakeCore({ secret: CORE_SECRET });
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  edge = createInProcessEdge({
    signingSecret: SIGNING_SECRET,
    coreUrl: core.url,
    coreSharedSecret: CORE_SECRET,
    env: "development",
    logLevel: "debug",
    logger,
  });
});

afterAll(async () => {
  await edge?.stop();
  await core?.stop();
});

function mention(eventId: string): string {
  return JSON.stringify({
    type: "event_callback",
    team_id: "T0DEMO0001",
    api_app_id: "A0DEMOPUP1",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: "app_mention",
      user: "U0DEMOALICE",
      text: "<@U0DEMOPUP1> hi",
      ts: "1700000000.000100",
      channel: "C0DEMOGENRL",
      event_ts: "1700000000.000100",
    },
  });
}

/** An Events API delivery signed as Slack signs it (v0: HMAC-SHA256 of `v0:{ts}:{body}`). */
function deliver(body: string, secret = SIGNING_SECRET): Promise<Response> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const digest = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return edge.fetch(
    new Request("http://edge.localhost/slack/events", {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": `v0=${digest}`,
      },
    }),
  );
}

describe("the in-process edge", () => {
  test("forwards a Slack-signed event to core with the edge's own signature", async () => {
    const response = await deliver(mention("Ev0DEMO0001"));
    expect(response.status).toBe(200);
    expect(core.deliveries.map((d) => [d.payload.id, d.status])).toEqual([["Ev0DEMO0001", 202]]);
  });

  test("refuses a request signed with another secret and forwards nothing", async () => {
    const before = core.deliveries.length;
    const response = await deliver(mention("Ev0DEMO0002"), "not-the-secret");
    expect(response.status).toBe(401);
    expect(core.deliveries.length).toBe(before);
  });

  test("keeps what core refuses in its queue and delivers it once core is back", async () => {
    await core.setBehaviour("failing");
    const response = await deliver(mention("Ev0DEMO0003"));
    // Acknowledged: the payload is safe in the fallback queue.
    expect(response.status).toBe(200);
    await core.setBehaviour("up");
    await core.waitFor(() => core.acceptedIds().has("Ev0DEMO0003"), "the redelivery", 10_000);
  });

  test("after stop it refuses new requests", async () => {
    await edge.stop();
    const response = await deliver(mention("Ev0DEMO0004"));
    expect(response.status).toBe(503);
    expect(core.acceptedIds().has("Ev0DEMO0004")).toBe(false);
  });
});
