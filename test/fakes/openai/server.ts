// The request pipeline of the fake OpenAI server: record, authenticate, apply injected faults,
// route, and turn validation failures into OpenAI-shaped 400s. Bun.serve hosts it (see index.ts).

import { handleChat } from "./chat";
import { handleEmbeddings } from "./embeddings";
import { errorResponse, InvalidRequestError, invalidRequest } from "./error-response";
import { type FaultPlan, sleepUnlessAborted } from "./faults";
import type { RequestRecorder } from "./recording";
import type { ReplySource } from "./responder";

/** Mutable state shared by the pipeline and the public handle. */
export interface FakeServerState {
  apiKey: string;
  models: readonly string[];
  embeddingDimensions: number;
  streamChunkDelayMs: number;
  recorder: RequestRecorder;
  faults: FaultPlan;
  replies: ReplySource;
}

type Route = "chat" | "embeddings" | "models" | "model";

const NOT_JSON = Symbol("not json");
const MODEL_PATH_PREFIX = "/v1/models/";

/** Builds the `fetch` handler for Bun.serve. */
export function createFakeOpenAIHandler(
  state: FakeServerState,
): (request: Request) => Promise<Response> {
  let completionCount = 0;
  const nextId = () => {
    completionCount += 1;
    return `chatcmpl-fake-${completionCount}`;
  };

  return async (request) => {
    const url = new URL(request.url);
    const body = request.method === "POST" ? await readJson(request) : undefined;
    const entry = state.recorder.record(
      request,
      url.pathname,
      body === NOT_JSON ? undefined : body,
    );
    const response = await answer();
    entry.status = response.status;
    return response;

    async function answer(): Promise<Response> {
      if (!hasValidKey(request, state.apiKey)) return unauthorized(request);
      const route = routeOf(request.method, url.pathname);
      if (!route) {
        return errorResponse(404, {
          message: `Invalid URL (${request.method} ${url.pathname})`,
        });
      }
      const faults = state.faults.take(route === "model" ? "models" : route);
      entry.faults.push(...faults.applied);
      await sleepUnlessAborted(faults.latencyMs, request.signal);
      if (faults.response) return faults.response;
      if (body === NOT_JSON) return invalidRequest("The request body is not valid JSON.");
      try {
        switch (route) {
          case "chat":
            return await handleChat(body, {
              replies: state.replies,
              streamChunkDelayMs: state.streamChunkDelayMs,
              faults,
              signal: request.signal,
              nextId,
            });
          case "embeddings":
            return handleEmbeddings(body, { defaultDimensions: state.embeddingDimensions, faults });
          case "models":
            return Response.json({ object: "list", data: state.models.map(modelObject) });
          case "model":
            return describeModel(
              state.models,
              decodeURIComponent(url.pathname.slice(MODEL_PATH_PREFIX.length)),
            );
        }
      } catch (error) {
        if (error instanceof InvalidRequestError) return invalidRequest(error.message, error.param);
        throw error;
      }
    }
  };
}

function routeOf(method: string, path: string): Route | undefined {
  if (method === "POST" && path === "/v1/chat/completions") return "chat";
  if (method === "POST" && path === "/v1/embeddings") return "embeddings";
  if (method === "GET" && path === "/v1/models") return "models";
  if (method === "GET" && path.startsWith(MODEL_PATH_PREFIX)) return "model";
  return undefined;
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function hasValidKey(request: Request, apiKey: string): boolean {
  return request.headers.get("authorization") === `Bearer ${apiKey}`;
}

function unauthorized(request: Request): Response {
  const header = request.headers.get("authorization");
  const message = header
    ? "Incorrect API key provided to the fake OpenAI server."
    : "You didn't provide an API key. Send it as `Authorization: Bearer <key>`.";
  return errorResponse(401, { message, code: "invalid_api_key" });
}

function modelObject(id: string) {
  return { id, object: "model", created: 0, owned_by: "pup-fake" };
}

function describeModel(models: readonly string[], id: string): Response {
  if (models.includes(id)) return Response.json(modelObject(id));
  return errorResponse(404, {
    message: `The model '${id}' does not exist`,
    param: "model",
    code: "model_not_found",
  });
}
