// POST /v1/embeddings: text in (a string or an array of strings), deterministic vectors out, as
// float arrays or as base64 float32 (the `openai` SDK asks for base64 by default and decodes it).

import { brokenBody } from "./broken-response";
import { encodeFloat32Base64, fakeEmbedding } from "./embedding-vectors";
import { InvalidRequestError } from "./error-response";
import type { FaultDecision } from "./faults";
import { countTokens } from "./tokens";

/** OpenAI's limit on inputs per request. */
const MAX_INPUTS = 2048;
/** The largest size any OpenAI embedding model offers (text-embedding-3-large). */
const MAX_DIMENSIONS = 3072;

export interface EmbeddingsContext {
  defaultDimensions: number;
  faults: FaultDecision;
}

interface EmbeddingsRequest {
  model: string;
  inputs: string[];
  dimensions: number;
  encoding: "float" | "base64";
}

/** Answers one embeddings request. */
export function handleEmbeddings(body: unknown, context: EmbeddingsContext): Response {
  const request = parseEmbeddingsRequest(body, context.defaultDimensions);
  const data = request.inputs.map((input, index) => {
    const vector = fakeEmbedding(input, request.dimensions);
    return {
      object: "embedding",
      index,
      embedding: request.encoding === "base64" ? encodeFloat32Base64(vector) : vector,
    };
  });
  const promptTokens = request.inputs.reduce((sum, input) => sum + countTokens(input), 0);
  const response = {
    object: "list",
    data,
    model: request.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  if (context.faults.breakAfterChunks !== undefined) return brokenBody(JSON.stringify(response));
  return Response.json(response);
}

function parseEmbeddingsRequest(body: unknown, defaultDimensions: number): EmbeddingsRequest {
  if (!body || typeof body !== "object") {
    throw new InvalidRequestError("The request body must be a JSON object.");
  }
  const candidate = body as Record<string, unknown>;
  if (typeof candidate.model !== "string" || candidate.model === "") {
    throw new InvalidRequestError("you must provide a model parameter", "model");
  }
  const encoding = candidate.encoding_format ?? "float";
  if (encoding !== "float" && encoding !== "base64") {
    throw new InvalidRequestError(
      `encoding_format must be "float" or "base64", got ${JSON.stringify(encoding)}.`,
      "encoding_format",
    );
  }
  const dimensions = candidate.dimensions ?? defaultDimensions;
  if (
    !Number.isInteger(dimensions) ||
    Number(dimensions) < 1 ||
    Number(dimensions) > MAX_DIMENSIONS
  ) {
    throw new InvalidRequestError(
      `dimensions must be an integer between 1 and ${MAX_DIMENSIONS}.`,
      "dimensions",
    );
  }
  return {
    model: candidate.model,
    inputs: parseInputs(candidate.input),
    dimensions: Number(dimensions),
    encoding,
  };
}

function parseInputs(input: unknown): string[] {
  const inputs = typeof input === "string" ? [input] : input;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new InvalidRequestError(
      "input must be a non-empty string or a non-empty array of strings.",
      "input",
    );
  }
  if (inputs.length > MAX_INPUTS) {
    throw new InvalidRequestError(`input may hold at most ${MAX_INPUTS} strings.`, "input");
  }
  return inputs.map((item: unknown, index) => {
    if (typeof item === "number" || Array.isArray(item)) {
      throw new InvalidRequestError(
        "Token-id input is not supported by the fake OpenAI server; send text instead.",
        "input",
      );
    }
    if (typeof item !== "string" || item === "") {
      throw new InvalidRequestError(`input[${index}] must be a non-empty string.`, "input");
    }
    return item;
  });
}
