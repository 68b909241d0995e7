// Puts a circuit breaker in front of any LanguageModel, so a dead server is not called over and
// over while it is down (each call would wait for its own timeouts and retries).

import { type LanguageModel, ModelUnavailableError } from "../../ports/language-model";
import type { CircuitBreaker } from "../../shared/circuit-breaker";
import { chatStreamFrom } from "./chat-stream";

/**
 * Wraps `model` so that while `breaker` is open its streams fail at once with
 * ModelUnavailableError("circuit_open") and the server is never called. Every other
 * ModelUnavailableError counts as a failure; a completed answer (or a stream the consumer
 * stopped after receiving text) as a success; a cancellation as neither. The breaker is
 * consulted when the stream is first consumed, not when `stream()` is called.
 */
export function withCircuitBreaker(model: LanguageModel, breaker: CircuitBreaker): LanguageModel {
  return {
    model: model.model,
    stream: (request) =>
      chatStreamFrom(async function* () {
        if (!breaker.canRequest()) {
          const { probeInMs } = breaker.snapshot();
          const wait =
            probeInMs === null ? "" : ` (next try in about ${Math.ceil(probeInMs / 1000)} s)`;
          throw new ModelUnavailableError(
            `model ${model.model} is not called: the circuit is open after repeated failures${wait}`,
            "circuit_open",
          );
        }
        let outcome: "success" | "failure" | "abandoned" = "abandoned";
        let received = false;
        try {
          const inner = model.stream(request);
          for await (const piece of inner) {
            received = true;
            yield piece;
          }
          const result = await inner.result();
          outcome = "success";
          return result;
        } catch (error) {
          if (error instanceof ModelUnavailableError && error.reason !== "circuit_open") {
            outcome = "failure";
          }
          throw error;
        } finally {
          // The server answered even if the consumer stopped listening.
          if (outcome === "abandoned" && received) outcome = "success";
          if (outcome === "success") breaker.recordSuccess();
          else if (outcome === "failure") breaker.recordFailure();
          else breaker.recordAbandoned();
        }
      }),
  };
}
