// Embeddings over any OpenAI-compatible server, many inputs per request.
import type OpenAI from "openai";
import { type Embedder, ModelUnavailableError } from "../../ports/language-model";
import { PupError } from "../../shared/errors";
import type { Logger } from "../pino/logger";
import { createOpenAiClient, toModelError } from "./client";

export interface OpenAiEmbedderOptions {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  model: string;
  /** The vector size pup stores (EMBEDDING_DIMENSIONS); every returned vector is checked. */
  dimensions: number;
  /** Inputs per request. Default 96. */
  batchSize?: number;
  /** Per attempt. Default 20000. */
  timeoutMs?: number;
  /** SDK retries (with backoff) on 429, 5xx, connection errors and timeouts. Default 2. */
  maxRetries?: number;
  /**
   * Whether to send `dimensions`. Default: yes, except for models known to refuse it
   * (text-embedding-ada-002); a model that ignores it fails the length check instead.
   */
  sendDimensions?: boolean;
  logger?: Logger | undefined;
}

/** Models that answer 400 when asked for `dimensions`. */
const FIXED_SIZE_MODELS = /^text-embedding-ada-/;

/**
 * The server returned vectors of another size than configured (or the wrong number of them).
 * Not retryable: it is a configuration problem, and the message says how to fix it.
 */
export class EmbeddingShapeError extends PupError {
  override readonly name = "EmbeddingShapeError";
  constructor(message: string) {
    super(message, { code: "embedding_shape_mismatch", retryable: false });
  }
}

/**
 * An {@link Embedder} over the `openai` SDK: inputs are sent `batchSize` at a time, one batch
 * after another, and the vectors come back in input order (by each item's `index`). Transport
 * failures are ModelUnavailableError, as for the chat model; a vector of the wrong length is an
 * {@link EmbeddingShapeError}.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const { model, dimensions } = options;
  const batchSize = options.batchSize ?? 96;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RangeError(`embedding dimensions must be an integer >= 1, got ${dimensions}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`embedding batchSize must be an integer >= 1, got ${batchSize}`);
  }
  const sendDimensions = options.sendDimensions ?? !FIXED_SIZE_MODELS.test(model);
  const client = createOpenAiClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs ?? 20_000,
    maxRetries: options.maxRetries ?? 2,
  });

  async function embedBatch(batch: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const params: OpenAI.EmbeddingCreateParams = { model, input: batch };
    if (sendDimensions) params.dimensions = dimensions;
    let response: OpenAI.CreateEmbeddingResponse;
    try {
      response = await client.embeddings.create(params, signal ? { signal } : undefined);
    } catch (error) {
      const mapped = toModelError(error, `embedding with ${model}`, signal);
      if (mapped instanceof ModelUnavailableError) {
        options.logger?.warn(
          { model, reason: mapped.reason, inputs: batch.length },
          mapped.message,
        );
      }
      throw mapped;
    }
    if (response.data.length !== batch.length) {
      throw new EmbeddingShapeError(
        `embedding model ${model} returned ${response.data.length} vectors for ${batch.length} inputs`,
      );
    }
    const vectors: number[][] = new Array(batch.length);
    for (const item of response.data) {
      if (!Number.isInteger(item.index) || item.index < 0 || item.index >= batch.length) {
        throw new EmbeddingShapeError(
          `embedding model ${model} returned index ${item.index} for ${batch.length} inputs`,
        );
      }
      vectors[item.index] = item.embedding;
    }
    for (const [index, vector] of vectors.entries()) {
      if (vector === undefined) {
        throw new EmbeddingShapeError(
          `embedding model ${model} returned no vector for input ${index}`,
        );
      }
      if (vector.length !== dimensions) {
        throw new EmbeddingShapeError(
          `embedding model ${model} returned ${vector.length}-dimensional vectors, but ` +
            `EMBEDDING_DIMENSIONS is ${dimensions}: set EMBEDDING_DIMENSIONS=${vector.length} (and ` +
            "re-embed stored messages) or choose a model that supports the dimensions parameter",
        );
      }
    }
    return vectors;
  }

  return {
    model,
    dimensions,
    async embed(texts, signal) {
      const empty = texts.findIndex((text) => text.trim() === "");
      if (empty !== -1) {
        throw new RangeError(
          `cannot embed input ${empty}: it is empty or blank (embedding servers reject empty text)`,
        );
      }
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize), signal)));
      }
      return vectors;
    },
  };
}
