// A local OpenAI-compatible server for tests: chat completions (plain and SSE streaming, with
// usage), embeddings (float and base64, deterministic), model listing, Bearer auth, a log of
// every request and injectable faults. Point the real `openai` SDK at it with
// `new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey })`. Only ever listens on 127.0.0.1.

import type OpenAI from "openai";
import { type Fault, type FaultEndpoint, FaultPlan } from "./faults";
import { type RecordedRequest, RequestRecorder } from "./recording";
import { type ChatResponder, ReplySource } from "./responder";
import { createFakeOpenAIHandler, type FakeServerState } from "./server";

export { cosineSimilarity, fakeEmbedding } from "./embedding-vectors";
export type { Fault, FaultEndpoint } from "./faults";
export { obedientAnswer, obedientResponder, readablePrompt } from "./obedient";
export type { RecordedRequest } from "./recording";
export type { ChatRequest, ChatResponder } from "./responder";
export { countTokens } from "./tokens";

/** Options of {@link startFakeOpenAI}; every field has a default. */
export interface FakeOpenAIOptions {
  /** The only key accepted as `Authorization: Bearer <key>`. Default: a random `sk-fake-…`. */
  apiKey?: string;
  /** Ids listed by `GET /v1/models`. Other model names are still accepted by chat/embeddings. */
  models?: string[];
  /** Vector size when a request does not send `dimensions`. Default 512. */
  embeddingDimensions?: number;
  /** Reply text when no scripted reply is queued. Default: `echo: <last user message>`. */
  responder?: ChatResponder;
  /** Pause between streamed chunks. Default 0. */
  streamChunkDelayMs?: number;
}

/** A running fake server. Stop it with `stop()` (or `await using`). */
export interface FakeOpenAI {
  /** Base URL for the SDK, including `/v1`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  readonly port: number;
  readonly apiKey: string;
  /** Every request received so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** Requests to `/v1/chat/completions` (bodies as sent, typed as the SDK's params). */
  chatRequests(): RecordedRequest<OpenAI.Chat.ChatCompletionCreateParams>[];
  /** Requests to `/v1/embeddings`. */
  embeddingRequests(): RecordedRequest<OpenAI.EmbeddingCreateParams>[];
  /** Scripts the next chat replies, used in order before the responder. */
  queueReply(...replies: string[]): void;
  /** Replaces the responder (undefined restores the default echo). */
  setResponder(responder: ChatResponder | undefined): void;
  /**
   * Makes the next `times` (default 1; `Infinity` for always) requests to `endpoint` misbehave.
   * Faults apply after authentication; see {@link Fault} for the kinds.
   */
  injectFault(endpoint: FaultEndpoint, fault: Fault, options?: { times?: number }): void;
  /** Fault applications not yet used up. */
  pendingFaults(): number;
  /** Forgets recorded requests, queued replies and faults; restores the initial responder. */
  reset(): void;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a fake OpenAI server on a free loopback port. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const state: FakeServerState = {
    apiKey: options.apiKey ?? `sk-fake-${crypto.randomUUID().replaceAll("-", "")}`,
    models: options.models ?? ["gpt-4o-mini", "text-embedding-3-small"],
    embeddingDimensions: options.embeddingDimensions ?? 512,
    streamChunkDelayMs: options.streamChunkDelayMs ?? 0,
    recorder: new RequestRecorder(),
    faults: new FaultPlan(),
    replies: new ReplySource(options.responder),
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    // Latency faults may hold a request longer than Bun's 10 s default idle timeout.
    idleTimeout: 120,
    fetch: createFakeOpenAIHandler(state),
  });
  const port = server.port;
  if (port === undefined) throw new Error("fake OpenAI server did not get a TCP port");
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= server.stop(true);
    return stopped;
  };

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    apiKey: state.apiKey,
    get requests() {
      return state.recorder.all();
    },
    chatRequests: () => state.recorder.byPath("/v1/chat/completions"),
    embeddingRequests: () => state.recorder.byPath("/v1/embeddings"),
    queueReply: (...replies) => state.replies.enqueue(replies),
    setResponder: (responder) => state.replies.setResponder(responder),
    injectFault: (endpoint, fault, faultOptions) =>
      state.faults.add(endpoint, fault, faultOptions?.times ?? 1),
    pendingFaults: () => state.faults.pending(),
    reset: () => {
      state.recorder.clear();
      state.replies.reset();
      state.faults.clear();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
