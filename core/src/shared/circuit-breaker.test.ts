import { describe, expect, test } from "bun:test";
import { CircuitBreaker, type CircuitStateChange } from "./circuit-breaker";

function setup(
  options: { failureThreshold?: number; openMs?: number; probeTimeoutMs?: number } = {},
) {
  let now = 1_000;
  const changes: CircuitStateChange[] = [];
  const breaker = new CircuitBreaker({
    ...options,
    now: () => now,
    onStateChange: (change) => changes.push(change),
  });
  return {
    breaker,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("CircuitBreaker", () => {
  test("defaults: 3 failures, 30 s open", () => {
    const breaker = new CircuitBreaker();
    expect(breaker.failureThreshold).toBe(3);
    expect(breaker.openMs).toBe(30_000);
    expect(breaker.state).toBe("closed");
  });

  test("opens after failureThreshold consecutive failures, not before", () => {
    const { breaker } = setup();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe("closed");
    expect(breaker.canRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.canRequest()).toBe(false);
  });

  test("a success resets the count of consecutive failures", () => {
    const { breaker } = setup();
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe("closed");
    expect(breaker.consecutiveFailures).toBe(2);
  });

  test("stays open for openMs, then lets exactly one probe through", () => {
    const { breaker, advance } = setup({ openMs: 30_000 });
    for (let i = 0; i < 3; i += 1) breaker.recordFailure();
    advance(29_999);
    expect(breaker.canRequest()).toBe(false);
    expect(breaker.snapshot()).toMatchObject({ state: "open", probeInMs: 1 });
    advance(1);
    expect(breaker.state).toBe("half-open");
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.canRequest()).toBe(false);
    expect(breaker.canRequest()).toBe(false);
  });

  test("a successful probe closes the circuit", () => {
    const { breaker, advance, changes } = setup({ failureThreshold: 2, openMs: 100 });
    breaker.recordFailure();
    breaker.recordFailure();
    advance(100);
    expect(breaker.canRequest()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe("closed");
    expect(breaker.consecutiveFailures).toBe(0);
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.canRequest()).toBe(true);
    expect(changes.map(({ from, to }) => `${from}->${to}`)).toEqual([
      "closed->open",
      "open->half-open",
      "half-open->closed",
    ]);
    expect(changes[0]).toMatchObject({ at: 1_000, consecutiveFailures: 2 });
  });

  test("a failed probe re-opens for another openMs", () => {
    const { breaker, advance } = setup({ failureThreshold: 1, openMs: 100 });
    breaker.recordFailure();
    advance(100);
    expect(breaker.canRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    advance(99);
    expect(breaker.canRequest()).toBe(false);
    advance(1);
    expect(breaker.canRequest()).toBe(true);
  });

  test("an abandoned probe frees the slot for another probe", () => {
    const { breaker, advance } = setup({ failureThreshold: 1, openMs: 100 });
    breaker.recordFailure();
    advance(100);
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.canRequest()).toBe(false);
    breaker.recordAbandoned();
    expect(breaker.state).toBe("half-open");
    expect(breaker.canRequest()).toBe(true);
  });

  test("a probe never reported allows another after probeTimeoutMs", () => {
    const { breaker, advance } = setup({ failureThreshold: 1, openMs: 100, probeTimeoutMs: 50 });
    breaker.recordFailure();
    advance(100);
    expect(breaker.canRequest()).toBe(true);
    advance(49);
    expect(breaker.canRequest()).toBe(false);
    advance(1);
    expect(breaker.canRequest()).toBe(true);
  });

  test("late outcomes while open change nothing", () => {
    const { breaker, advance } = setup({ failureThreshold: 1, openMs: 100 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    advance(50);
    // A late failure does not push the probe further away.
    expect(breaker.snapshot().probeInMs).toBe(50);
  });

  test("rejects nonsensical options", () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow("failureThreshold");
    expect(() => new CircuitBreaker({ openMs: -1 })).toThrow("openMs");
  });
});
