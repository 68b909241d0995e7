/**
 * Zero loss while core is down, in real workerd: every delivery is acknowledged (queued), and
 * once core is back the queue consumer delivers each one, so core handles every event exactly
 * once after de-duplication.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeCore, startFakeCore } from "./fake-core";
import { appMentionEvent, deliverEvent, type SlackDeliveryResult } from "./slack-requests";
import { type EdgeUnderTest, startEdge, TEST_CORE_SHARED_SECRET } from "./workerd";

const EVENTS = 200;
/** Slack delivers in parallel; this many at a time keeps the test quick and realistic. */
const CONCURRENCY = 20;

let core: FakeCore;
let edge: EdgeUnderTest;

beforeAll(async () => {
  core = await startFakeCore({ secret: TEST_CORE_SHARED_SECRET, behaviour: "down" });
  edge = await startEdge({
    coreUrl: core.url,
    // Redeliveries every second, for long enough to outlast the outage below.
    bindings: { FORWARD_RETRY_BASE_SECONDS: "1", FORWARD_RETRY_MAX_SECONDS: "1" },
    queues: { maxRetries: 30, maxBatchSize: 50 },
  });
});

afterAll(async () => {
  await edge?.dispose();
  await core?.stop();
});

describe("core down", () => {
  test(`${EVENTS} events are acknowledged, and all arrive exactly once when core is back`, async () => {
    const events = Array.from({ length: EVENTS }, () => appMentionEvent());
    const results: SlackDeliveryResult[] = [];
    for (let i = 0; i < events.length; i += CONCURRENCY) {
      const slice = events.slice(i, i + CONCURRENCY);
      results.push(...(await Promise.all(slice.map((event) => deliverEvent(edge, event)))));
    }
    expect(results.filter((r) => r.status < 200 || r.status > 299)).toEqual([]);
    expect(core.deliveries).toEqual([]);
    const slowest = Math.max(...results.map((r) => r.elapsedMs));

    const backAt = performance.now();
    await core.setBehaviour("up");
    await core.waitFor(() => core.acceptedIds().size >= EVENTS, `${EVENTS} accepted ids`, 30_000);
    const drainMs = performance.now() - backAt;
    // Give late duplicates a moment to show up before counting.
    await Bun.sleep(1500);

    const expected = new Set(events.map((event) => String(event.event_id)));
    const accepted = core.acceptedIds();
    const acceptedDeliveries = core.deliveries.filter((d) => d.status === 202).length;
    console.info(
      `core down: ${EVENTS} acknowledged (slowest ack ${slowest.toFixed(0)} ms); core back -> ` +
        `all accepted in ${drainMs.toFixed(0)} ms; raw deliveries ${core.deliveries.length}, ` +
        `unique ids ${accepted.size}, accepted (202) ${acceptedDeliveries}`,
    );
    expect(accepted).toEqual(expected);
    expect(acceptedDeliveries).toBe(EVENTS);
    expect(core.rejected).toEqual([]);
    expect(await edge.deadLetters()).toEqual([]);
  }, 60_000);
});
