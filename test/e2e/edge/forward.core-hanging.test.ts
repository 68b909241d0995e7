/**
 * A core that accepts connections but does not answer for 10 s, in real workerd: the edge gives
 * up on it at FORWARD_DEADLINE_MS, queues the payload and still acknowledges Slack well inside
 * its 3 s (under 1 s here), and every payload reaches core once it answers again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeCore, startFakeCore } from "./fake-core";
import { appMentionEvent, deliverEvent, type SlackDeliveryResult } from "./slack-requests";
import { type EdgeUnderTest, startEdge, TEST_CORE_SHARED_SECRET } from "./workerd";

const HANG_MS = 10_000;
const EVENTS = 30;

let core: FakeCore;
let edge: EdgeUnderTest;

beforeAll(async () => {
  core = await startFakeCore({ secret: TEST_CORE_SHARED_SECRET, behaviour: "hanging" });
  edge = await startEdge({
    coreUrl: core.url,
    bindings: { FORWARD_RETRY_BASE_SECONDS: "1", FORWARD_RETRY_MAX_SECONDS: "1" },
  });
});

afterAll(async () => {
  await edge?.dispose();
  await core?.stop();
});

describe("core hanging", () => {
  test("every acknowledgement is under 1 s, and every payload arrives once core answers", async () => {
    const hangStartedAt = performance.now();
    const events = Array.from({ length: EVENTS }, () => appMentionEvent());
    const results: SlackDeliveryResult[] = [];
    // Spread over a few seconds like real traffic, ten at a time.
    for (let i = 0; i < EVENTS; i += 10) {
      const slice = events.slice(i, i + 10);
      results.push(...(await Promise.all(slice.map((event) => deliverEvent(edge, event)))));
      await Bun.sleep(500);
    }
    const times = results.map((r) => r.elapsedMs).sort((a, b) => a - b);
    console.info(
      `core hanging: ${EVENTS} acks, p50 ${times[Math.floor(EVENTS / 2)]?.toFixed(0)} ms, ` +
        `max ${times.at(-1)?.toFixed(0)} ms`,
    );
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.elapsedMs >= 1000)).toEqual([]);
    expect(core.acceptedIds().size).toBe(0);

    await Bun.sleep(Math.max(0, HANG_MS - (performance.now() - hangStartedAt)));
    await core.setBehaviour("up");
    await core.waitFor(() => core.acceptedIds().size >= EVENTS, `${EVENTS} accepted ids`, 20_000);
    expect(core.acceptedIds()).toEqual(new Set(events.map((event) => String(event.event_id))));
    expect(core.deliveries.filter((d) => d.status === 202)).toHaveLength(EVENTS);
    // The requests the edge gave up on were dropped by core: the queue brought every one in.
    expect(core.deliveries.filter((d) => d.clientGone && d.status !== 503)).toEqual([]);
    console.info(
      `core hanging: after release ${core.deliveries.length} raw deliveries ` +
        `(${core.deliveries.filter((d) => d.clientGone).length} abandoned by the edge and dropped), ` +
        `${core.acceptedIds().size} unique`,
    );
  }, 45_000);
});
