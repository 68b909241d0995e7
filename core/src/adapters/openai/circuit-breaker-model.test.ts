import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { type FakeOpenAI, startFakeOpenAI } from "../../../../test/fakes/openai";
import { type ChatStream, ModelUnavailableError } from "../../ports/language-model";
import { CircuitBreaker } from "../../shared/circuit-breaker";
import { withCircuitBreaker } from "./circuit-breaker-model";
import { createOpenAiModel } from "./model";

const fake: FakeOpenAI = await startFakeOpenAI();
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const messages = [{ role: "user" as const, content: "are you there?" }];

function setup() {
  let now = 0;
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 30_000, now: () => now });
  const inner = createOpenAiModel({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    chatModel: "gpt-4o-mini",
    maxRetries: 0,
  });
  return {
    breaker,
    model: withCircuitBreaker(inner, breaker),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function outcome(stream: ChatStream): Promise<string> {
  try {
    return (await stream.result()).text;
  } catch (error) {
    if (error instanceof ModelUnavailableError) return `error:${error.reason}`;
    throw error;
  }
}

describe("withCircuitBreaker", () => {
  test("opens after repeated failures and then makes no request until openMs has passed", async () => {
    const { model, breaker, advance } = setup();
    fake.injectFault("chat", { kind: "http-error", status: 502 }, { times: Infinity });
    expect(await outcome(model.stream({ messages }))).toBe("error:server_error");
    expect(await outcome(model.stream({ messages }))).toBe("error:server_error");
    expect(breaker.state).toBe("open");
    expect(fake.chatRequests()).toHaveLength(2);

    for (let i = 0; i < 5; i += 1) {
      expect(await outcome(model.stream({ messages }))).toBe("error:circuit_open");
    }
    expect(fake.chatRequests()).toHaveLength(2);

    // The server is back; after openMs exactly one probe goes out and closes the circuit.
    fake.reset();
    advance(30_000);
    const probe = model.stream({ messages });
    const concurrent = model.stream({ messages });
    const [probeOutcome, concurrentOutcome] = await Promise.all([
      outcome(probe),
      outcome(concurrent),
    ]);
    expect(probeOutcome).toBe("echo: are you there?");
    expect(concurrentOutcome).toBe("error:circuit_open");
    expect(fake.chatRequests()).toHaveLength(1);
    expect(breaker.state).toBe("closed");
    expect(await outcome(model.stream({ messages }))).toBe("echo: are you there?");
  });

  test("a failed probe re-opens the circuit", async () => {
    const { model, breaker, advance } = setup();
    fake.injectFault("chat", { kind: "http-error", status: 500 }, { times: Infinity });
    await outcome(model.stream({ messages }));
    await outcome(model.stream({ messages }));
    advance(30_000);
    expect(await outcome(model.stream({ messages }))).toBe("error:server_error");
    expect(breaker.state).toBe("open");
    expect(fake.chatRequests()).toHaveLength(3);
    expect(await outcome(model.stream({ messages }))).toBe("error:circuit_open");
    expect(fake.chatRequests()).toHaveLength(3);
  });

  test("the circuit_open error says when the next try comes", async () => {
    const { model, advance } = setup();
    fake.injectFault("chat", { kind: "http-error" }, { times: Infinity });
    await outcome(model.stream({ messages }));
    await outcome(model.stream({ messages }));
    advance(10_000);
    const error = await model
      .stream({ messages })
      .result()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toContain("next try in about 20 s");
  });

  test("a cancelled request counts neither way", async () => {
    const { model, breaker } = setup();
    fake.injectFault("chat", { kind: "latency", ms: 5_000 });
    const controller = new AbortController();
    const stream = model.stream({ messages, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await stream.result().catch(() => {});
    expect(breaker.consecutiveFailures).toBe(0);
    expect(breaker.state).toBe("closed");
  });
});
