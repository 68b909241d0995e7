// Server-sent events for streamed chat completions, in the order OpenAI sends them: a role
// delta, content deltas, a chunk carrying `finish_reason`, an optional usage-only chunk (empty
// `choices`) when `stream_options.include_usage` is set, then `data: [DONE]`.

import { dropConnection } from "./broken-response";
import { sleepUnlessAborted } from "./faults";
import { streamPieces } from "./tokens";

/** Everything needed to render one completion, plain or streamed. */
export interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  reply: string;
  finishReason: "stop" | "length";
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export interface StreamOptions {
  includeUsage: boolean;
  /** Pause between chunks, to let tests watch a reply arrive piece by piece. */
  chunkDelayMs: number;
  /** When set, the connection is dropped after this many chunks and `[DONE]` never comes. */
  breakAfterChunks: number | undefined;
  signal: AbortSignal;
}

/** Builds the chunk objects of a streamed completion. */
export function completionChunks(plan: CompletionPlan, includeUsage: boolean): object[] {
  const chunk = (choices: object[], usage?: CompletionPlan["usage"] | null) => ({
    id: plan.id,
    object: "chat.completion.chunk",
    created: plan.created,
    model: plan.model,
    system_fingerprint: "fp_pup_fake",
    choices,
    ...(includeUsage ? { usage: usage ?? null } : {}),
  });
  const choice = (delta: object, finishReason: string | null = null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });
  const chunks = [chunk([choice({ role: "assistant", content: "", refusal: null })])];
  for (const piece of streamPieces(plan.reply)) chunks.push(chunk([choice({ content: piece })]));
  chunks.push(chunk([choice({}, plan.finishReason)]));
  if (includeUsage) chunks.push(chunk([], plan.usage));
  return chunks;
}

/** The SSE response for a streamed completion. */
export function streamCompletion(plan: CompletionPlan, options: StreamOptions): Response {
  const chunks = completionChunks(plan, options.includeUsage);
  const events = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
  // A break never reaches [DONE], however large afterChunks is: the consumer must see a failure.
  const breakAt =
    options.breakAfterChunks === undefined
      ? undefined
      : Math.min(Math.max(options.breakAfterChunks, 0), events.length);
  if (breakAt === undefined) events.push("data: [DONE]\n\n");
  const encoder = new TextEncoder();
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === breakAt) return await dropConnection(controller);
      const event = events[sent];
      if (event === undefined) return controller.close();
      if (sent > 0) await sleepUnlessAborted(options.chunkDelayMs, options.signal);
      controller.enqueue(encoder.encode(event));
      sent += 1;
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    },
  });
}
