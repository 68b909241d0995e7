// The chat model over any OpenAI-compatible server, streamed.
import type OpenAI from "openai";
import {
  type ChatRequest,
  type LanguageModel,
  ModelUnavailableError,
  type TokenUsage,
} from "../../ports/language-model";
import type { Logger } from "../pino/logger";
import { type ChatResult, chatStreamFrom } from "./chat-stream";
import { createOpenAiClient, isOpenAiItself, toModelError } from "./client";

export interface OpenAiModelOptions {
  /** Unset with a base URL: a placeholder key is sent (local servers need none). */
  apiKey?: string | undefined;
  /** Any OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1`; unset: OpenAI's. */
  baseUrl?: string | undefined;
  chatModel: string;
  /**
   * Per attempt: the longest wait for the answer to start, and then the longest silence between
   * two streamed pieces. Default 20000.
   */
  timeoutMs?: number;
  /** SDK retries (with backoff) on 429, 5xx, connection errors and timeouts. Default 2. */
  maxRetries?: number;
  logger?: Logger | undefined;
}

/**
 * A {@link LanguageModel} that streams chat completions through the `openai` SDK
 * (`stream: true` with `stream_options.include_usage`, so usage arrives in the last chunk).
 * Failures surface as ModelUnavailableError: `timeout`, `rate_limited` (429 after the retries),
 * `server_error` (5xx after the retries, or an error event mid-stream), `network` (connection
 * failed or dropped mid-answer), `bad_response` (4xx refusal, malformed stream). A cancelled
 * `signal` rejects with the signal's reason instead.
 */
export function createOpenAiModel(options: OpenAiModelOptions): LanguageModel {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxRetries = options.maxRetries ?? 2;
  const client = createOpenAiClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    timeoutMs,
    maxRetries,
  });
  // OpenAI deprecated max_tokens (its reasoning models reject it); many local servers only know it.
  const tokenLimitField = isOpenAiItself(options.baseUrl) ? "max_completion_tokens" : "max_tokens";
  const chatModel = options.chatModel;
  const logger = options.logger;

  return {
    model: chatModel,
    stream: (request) =>
      chatStreamFrom(async function* () {
        const startedAt = Date.now();
        try {
          return yield* streamCompletion(request);
        } catch (error) {
          const mapped = toModelError(error, `chat completion with ${chatModel}`, request.signal);
          if (mapped instanceof ModelUnavailableError) {
            logger?.warn(
              { model: chatModel, reason: mapped.reason, elapsedMs: Date.now() - startedAt },
              mapped.message,
            );
          }
          throw mapped;
        }
      }),
  };

  async function* streamCompletion(request: ChatRequest): AsyncGenerator<string, ChatResult> {
    // Our own controller, so a silent stream can be cut off; the caller's signal feeds into it.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener("abort", forwardAbort, { once: true });
    if (request.signal?.aborted) forwardAbort();
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let silent = false;
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        silent = true;
        controller.abort();
      }, timeoutMs);
    };
    const stalled = () =>
      new ModelUnavailableError(
        `chat completion with ${chatModel} timed out: no streamed data for ${timeoutMs} ms`,
        "timeout",
      );

    try {
      const params: OpenAI.Chat.ChatCompletionCreateParamsStreaming = {
        model: chatModel,
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
      };
      if (request.maxTokens !== undefined) params[tokenLimitField] = request.maxTokens;
      if (request.temperature !== undefined) params.temperature = request.temperature;
      // The SDK's own timeout and retries cover the wait for the response to start.
      const stream = await client.chat.completions.create(params, { signal: controller.signal });

      let text = "";
      let usage: TokenUsage | null = null;
      let answeredBy = chatModel;
      let finished = false;
      armIdleTimer();
      for await (const chunk of stream) {
        armIdleTimer();
        if (chunk.model) answeredBy = chunk.model;
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        }
        for (const choice of chunk.choices) {
          if (choice.finish_reason) finished = true;
          const piece = choice.delta?.content;
          if (piece) {
            text += piece;
            yield piece;
          }
        }
      }
      // The SDK ends iteration quietly when its request is aborted, so check why it ended.
      if (silent) throw stalled();
      request.signal?.throwIfAborted();
      if (!finished) {
        throw new ModelUnavailableError(
          `chat completion with ${chatModel} ended before the answer was complete (no finish_reason)`,
          "network",
        );
      }
      return { text, usage, model: answeredBy };
    } catch (error) {
      throw silent ? stalled() : error;
    } finally {
      clearTimeout(idleTimer);
      request.signal?.removeEventListener("abort", forwardAbort);
      // Frees the connection when the consumer stopped early or something failed.
      controller.abort();
    }
  }
}
