// Builds the model and embedder the configuration asks for: OpenAI-compatible, or offline.

import type { EmbeddingConfig, LlmConfig } from "../../config/sections";
import type { Embedder, LanguageModel } from "../../ports/language-model";
import { CircuitBreaker, type CircuitBreakerOptions } from "../../shared/circuit-breaker";
import { createOfflineEmbedder } from "../offline/embedder";
import { createOfflineModel } from "../offline/model";
import type { Logger } from "../pino/logger";
import { withCircuitBreaker } from "./circuit-breaker-model";
import { createOpenAiEmbedder } from "./embedder";
import { createOpenAiModel } from "./model";

export interface ModelsFromConfigOptions {
  logger?: Logger | undefined;
  /** Chat and embedding timeouts per attempt. Default 20000. */
  timeoutMs?: number;
  /** SDK retries. Default 2. */
  maxRetries?: number;
  /** Embedding inputs per request. Default 96. */
  batchSize?: number;
  /** Options of the chat model's circuit breaker (defaults: 3 failures, 30 s open). */
  breaker?: CircuitBreakerOptions;
}

export interface Models {
  /** In openai mode, already behind {@link Models.breaker}. */
  model: LanguageModel;
  embedder: Embedder;
  /** The chat model's circuit breaker (for /health and logs); undefined offline. */
  breaker: CircuitBreaker | undefined;
  mode: LlmConfig["mode"];
}

/**
 * The chat model and the embedder for `llm` and `embedding` (see core/src/config/sections.ts):
 * offline mode gives the deterministic local pair; openai mode the SDK adapters, the chat model
 * wrapped in a circuit breaker that logs its state changes.
 */
export function createModelsFromConfig(
  llm: LlmConfig,
  embedding: EmbeddingConfig,
  options: ModelsFromConfigOptions = {},
): Models {
  if (llm.mode === "offline") {
    return {
      model: createOfflineModel(),
      embedder: createOfflineEmbedder(embedding.dimensions),
      breaker: undefined,
      mode: "offline",
    };
  }
  const logger = options.logger;
  const breaker = new CircuitBreaker({
    ...options.breaker,
    onStateChange: (change) => {
      logger?.warn({ model: llm.chatModel, ...change }, `model circuit ${change.to}`);
      options.breaker?.onStateChange?.(change);
    },
  });
  const model = createOpenAiModel({
    apiKey: llm.apiKey,
    baseUrl: llm.baseUrl,
    chatModel: llm.chatModel,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    logger,
  });
  const embedder = createOpenAiEmbedder({
    apiKey: llm.apiKey,
    baseUrl: llm.baseUrl,
    model: llm.embeddingModel,
    dimensions: embedding.dimensions,
    batchSize: options.batchSize,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    logger,
  });
  return { model: withCircuitBreaker(model, breaker), embedder, breaker, mode: "openai" };
}
