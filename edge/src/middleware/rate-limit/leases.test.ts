import { describe, expect, test } from "bun:test";
import { manualClock } from "../../../../test/fixtures/edge/window-limiter";
import { type LimiterAnswer, RateLimitLeases } from "./leases";

const PERIOD_MS = 60_000;
const TERMS = { size: 5, periodMs: PERIOD_MS };
/** Mid-window, so a test's requests stay inside one window unless it moves the clock. */
const START = 1_800_000_000_000 + 1_000;

/** An `ask` that answers from a script and counts its calls. */
function scripted(...answers: LimiterAnswer[]) {
  let calls = 0;
  const ask = async (): Promise<LimiterAnswer> => answers[calls++] ?? "allowed";
  return { ask, calls: () => calls };
}

async function admitMany(
  leases: RateLimitLeases,
  key: string,
  count: number,
  ask: () => Promise<LimiterAnswer>,
) {
  const results: boolean[] = [];
  for (let index = 0; index < count; index += 1) {
    results.push(await leases.admit(key, TERMS, ask));
  }
  return results;
}

describe("RateLimitLeases", () => {
  test("one allowed call admits a lease of `size` requests", async () => {
    const leases = new RateLimitLeases(manualClock(START).now);
    const binding = scripted();
    expect(await admitMany(leases, "T1:U1", 11, binding.ask)).toEqual(Array(11).fill(true));
    expect(binding.calls()).toBe(3);
  });

  test("a denied call stops further calls for the key until the window ends", async () => {
    const clock = manualClock(START);
    const leases = new RateLimitLeases(clock.now);
    const binding = scripted("denied");
    expect(await admitMany(leases, "T1:U1", 4, binding.ask)).toEqual([false, false, false, false]);
    expect(binding.calls()).toBe(1);
    clock.advance(PERIOD_MS - 2_000); // still the same window
    expect(await leases.admit("T1:U1", TERMS, binding.ask)).toBe(false);
    clock.toNextWindow(PERIOD_MS);
    expect(await leases.admit("T1:U1", TERMS, binding.ask)).toBe(true);
    expect(binding.calls()).toBe(2);
  });

  test("unused allowance does not carry into the next window", async () => {
    const clock = manualClock(START);
    const leases = new RateLimitLeases(clock.now);
    const binding = scripted();
    await leases.admit("T1", TERMS, binding.ask); // lease of 5, 4 left
    clock.toNextWindow(PERIOD_MS);
    await leases.admit("T1", TERMS, binding.ask);
    expect(binding.calls()).toBe(2);
  });

  test("a failing binding lets the request through and leases nothing", async () => {
    const leases = new RateLimitLeases(manualClock(START).now);
    const binding = scripted("failed", "failed", "allowed");
    expect(await admitMany(leases, "T1", 4, binding.ask)).toEqual([true, true, true, true]);
    expect(binding.calls()).toBe(3);
  });

  test("a request never waits on another request's call: it asks on its own", async () => {
    // workerd cancels I/O continued from another request's context, so sharing one in-flight
    // binding call between requests is unsafe; concurrent first requests each ask.
    const leases = new RateLimitLeases(manualClock(START).now);
    let calls = 0;
    const opens: Array<(answer: LimiterAnswer) => void> = [];
    const ask = () => {
      calls += 1;
      return new Promise<LimiterAnswer>((resolve) => opens.push(resolve));
    };
    const pending = Array.from({ length: 3 }, () => leases.admit("T1", TERMS, ask));
    await Bun.sleep(1);
    expect(calls).toBe(3);
    for (const open of opens) open("allowed");
    expect(await Promise.all(pending)).toEqual([true, true, true]);
    // The first asker recorded its lease: the next requests ride on it without a call.
    expect(await leases.admit("T1", TERMS, ask)).toBe(true);
    expect(calls).toBe(3);
  });

  test("size 1 keeps no state: every request is one call, answered as the binding answers", async () => {
    const leases = new RateLimitLeases(manualClock(START).now);
    const binding = scripted("allowed", "denied", "allowed", "failed");
    const results = [];
    for (let index = 0; index < 4; index += 1) {
      results.push(await leases.admit("T1", { size: 1, periodMs: PERIOD_MS }, binding.ask));
    }
    expect(results).toEqual([true, false, true, true]);
    expect(binding.calls()).toBe(4);
    expect(leases.size).toBe(0);
  });

  test("the table never holds more than maxKeys keys; the oldest lease goes first", async () => {
    const leases = new RateLimitLeases(manualClock(START).now, 3);
    const binding = scripted();
    for (let index = 0; index < 100; index += 1) {
      await leases.admit(`T1:U${index}`, TERMS, binding.ask);
      expect(leases.size).toBeLessThanOrEqual(3);
    }
    expect(binding.calls()).toBe(100);
    await leases.admit("T1:U99", TERMS, binding.ask); // still leased
    await leases.admit("T1:U0", TERMS, binding.ask); // forgotten: asks again
    expect(binding.calls()).toBe(101);
  });

  test("rejects a table that could hold nothing", () => {
    expect(() => new RateLimitLeases(Date.now, 0)).toThrow("maxKeys must be a positive integer");
  });
});
