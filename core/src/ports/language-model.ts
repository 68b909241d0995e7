// Port: the chat model and the embedder. The adapters are core/src/adapters/openai (any
// OpenAI-compatible server) and core/src/adapters/offline (deterministic, no network).
import { PupError } from "../shared/errors";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Upper bound on the answer's tokens. */
  maxTokens?: number;
  temperature?: number;
  /** Cancels the request (and its stream). */
  signal?: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A streamed answer: iterate the text pieces; `result` settles when the stream ends. */
export interface ChatStream extends AsyncIterable<string> {
  /** Full text, usage (null when the server sent none) and the model that answered. */
  result(): Promise<{ text: string; usage: TokenUsage | null; model: string }>;
}

/** Why a model call failed, for the circuit breaker and for logs (never shown to users). */
export class ModelUnavailableError extends PupError {
  override readonly name = "ModelUnavailableError";
  constructor(
    message: string,
    readonly reason:
      | "timeout"
      | "rate_limited"
      | "server_error"
      | "circuit_open"
      | "bad_response"
      | "network",
    options?: { cause?: unknown },
  ) {
    // Retryable: a job that failed on the model is tried again later, as before.
    super(message, { code: "model_unavailable", retryable: true, cause: options?.cause });
  }
}

export interface LanguageModel {
  /** Name reported in logs and stored with replies. */
  readonly model: string;
  /** Streams an answer. Throws (or the stream rejects) with {@link ModelUnavailableError}. */
  stream(request: ChatRequest): ChatStream;
}

export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  /** One vector per input, in order; many inputs per request. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}
