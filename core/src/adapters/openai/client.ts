// One configured `openai` SDK client, and the mapping of its errors onto the port's
// ModelUnavailableError, shared by the chat model and the embedder.
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "openai";
import { ModelUnavailableError } from "../../ports/language-model";

/** OpenAI's own endpoint, used when no base URL is configured. */
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
/** Sent when a base URL is set without a key: local servers (Ollama, llama.cpp) need none. */
export const PLACEHOLDER_API_KEY = "unused";

export interface OpenAiClientOptions {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  /** Per attempt, until the response starts. */
  timeoutMs: number;
  /** Retries after the first attempt, on 408/409/429/5xx and connection errors or timeouts. */
  maxRetries: number;
}

/**
 * The SDK client. Retries with exponential backoff (0.5 s doubling, jittered, or the server's
 * `retry-after-ms` / `retry-after`) are the SDK's own; `timeout` bounds each attempt separately,
 * so the worst case is (maxRetries + 1) × timeoutMs plus the backoff pauses.
 */
export function createOpenAiClient(options: OpenAiClientOptions): OpenAI {
  if (!options.apiKey && !options.baseUrl) {
    throw new Error(
      "the OpenAI adapter needs OPENAI_API_KEY or OPENAI_BASE_URL; with neither, use offline mode",
    );
  }
  return new OpenAI({
    apiKey: options.apiKey || PLACEHOLDER_API_KEY,
    // Explicit, so the SDK does not fall back to reading the environment itself.
    baseURL: options.baseUrl || OPENAI_DEFAULT_BASE_URL,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
}

/** True when `baseUrl` is OpenAI's own API (it accepts fields some local servers do not). */
export function isOpenAiItself(baseUrl: string | undefined): boolean {
  if (!baseUrl) return true;
  try {
    return new URL(baseUrl).hostname === "api.openai.com";
  } catch {
    return false;
  }
}

/**
 * Maps an SDK failure to {@link ModelUnavailableError}; a cancellation by the caller's `signal`
 * is returned as the signal's reason instead (cancelling is not the model's fault, and must not
 * count against it in the circuit breaker). `what` names the operation for the message.
 */
export function toModelError(error: unknown, what: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof ModelUnavailableError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelUnavailableError(`${what} timed out`, "timeout", { cause: error });
  }
  if (error instanceof APIUserAbortError) {
    return new ModelUnavailableError(`${what} was aborted`, "network", { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ModelUnavailableError(
      `${what} could not reach the server: ${error.message}`,
      "network",
      {
        cause: error,
      },
    );
  }
  if (error instanceof APIError) {
    const status = error.status;
    const detail = `${what} failed${status === undefined ? "" : ` with HTTP ${status}`}: ${error.message}`;
    if (status === 429) return new ModelUnavailableError(detail, "rate_limited", { cause: error });
    // No status: an `error` event inside a stream, which the server sends when it fails mid-way.
    if (status === undefined || status >= 500 || status === 408 || status === 409) {
      return new ModelUnavailableError(detail, "server_error", { cause: error });
    }
    // 400/401/403/404...: a wrong key, model name or request. Retrying will not help, but the
    // model is just as unavailable, so it counts towards the circuit breaker too.
    return new ModelUnavailableError(detail, "bad_response", { cause: error });
  }
  if (error instanceof SyntaxError) {
    return new ModelUnavailableError(
      `${what} got a malformed response: ${error.message}`,
      "bad_response",
      {
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelUnavailableError(`${what} failed: ${message}`, "network", { cause: error });
}
