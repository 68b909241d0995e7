// POST /v1/chat/completions: validates the body like OpenAI does for the fields pup uses, asks
// the reply source for text, and answers with a `chat.completion` (or an SSE stream of chunks).

import { brokenBody } from "./broken-response";
import { type CompletionPlan, streamCompletion } from "./chat-stream";
import { InvalidRequestError } from "./error-response";
import type { FaultDecision } from "./faults";
import { type ChatRequest, messageText, type ReplySource } from "./responder";
import { countTokens, truncateToTokens } from "./tokens";

/** Per-message framing tokens, mirroring OpenAI's accounting (each message costs ~3 extra). */
const TOKENS_PER_MESSAGE = 3;
/** Tokens that prime the assistant's reply. */
const REPLY_PRIMING_TOKENS = 3;

const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

export interface ChatContext {
  replies: ReplySource;
  streamChunkDelayMs: number;
  faults: FaultDecision;
  signal: AbortSignal;
  nextId: () => string;
}

/** Answers one chat completion request. */
export async function handleChat(body: unknown, context: ChatContext): Promise<Response> {
  const request = parseChatRequest(body);
  const fullReply = await context.replies.next(request);
  const limit = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const reply = limit === undefined ? fullReply : truncateToTokens(fullReply, limit);
  const promptTokens =
    request.messages.reduce(
      (sum, message) => sum + TOKENS_PER_MESSAGE + countTokens(messageText(message.content)),
      0,
    ) + REPLY_PRIMING_TOKENS;
  const completionTokens = countTokens(reply);
  const plan: CompletionPlan = {
    id: context.nextId(),
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    reply,
    finishReason: reply.length < fullReply.length ? "length" : "stop",
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
  if (request.stream === true) {
    return streamCompletion(plan, {
      includeUsage: request.stream_options?.include_usage === true,
      chunkDelayMs: context.streamChunkDelayMs,
      breakAfterChunks: context.faults.breakAfterChunks,
      signal: context.signal,
    });
  }
  const completion = {
    id: plan.id,
    object: "chat.completion",
    created: plan.created,
    model: plan.model,
    system_fingerprint: "fp_pup_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: plan.reply, refusal: null },
        logprobs: null,
        finish_reason: plan.finishReason,
      },
    ],
    usage: plan.usage,
  };
  if (context.faults.breakAfterChunks !== undefined) return brokenBody(JSON.stringify(completion));
  return Response.json(completion);
}

/** Checks the fields the fake relies on; throws InvalidRequestError naming the bad one. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (!body || typeof body !== "object") {
    throw new InvalidRequestError("The request body must be a JSON object.");
  }
  const candidate = body as Record<string, unknown>;
  if (typeof candidate.model !== "string" || candidate.model === "") {
    throw new InvalidRequestError("you must provide a model parameter", "model");
  }
  const messages = candidate.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequestError("'messages' must be a non-empty array.", "messages");
  }
  messages.forEach((message: unknown, index) => {
    const role = (message as { role?: unknown } | null)?.role;
    if (typeof role !== "string" || !ROLES.has(role)) {
      throw new InvalidRequestError(
        `messages[${index}].role must be one of ${[...ROLES].join(", ")}.`,
        `messages[${index}].role`,
      );
    }
  });
  if (candidate.n !== undefined && candidate.n !== null && candidate.n !== 1) {
    throw new InvalidRequestError("The fake OpenAI server only supports n = 1.", "n");
  }
  for (const field of ["max_tokens", "max_completion_tokens"] as const) {
    const value = candidate[field];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && Number(value) >= 1)) {
      throw new InvalidRequestError(`${field} must be an integer >= 1.`, field);
    }
  }
  return body as ChatRequest;
}
