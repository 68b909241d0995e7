/**
 * The HTTP face of the fake: a Bun server on loopback that routes `POST /api/<method>` to
 * {@link SlackApi}, applies planned faults and records every call. Slack answers API-level errors
 * (bad token, unknown method) with HTTP 200 and `ok:false`, and so does this server.
 */
import type { Server } from "bun";
import type { CallLog } from "./call-log";
import type { Fault, FaultPlan } from "./faults";
import { parseApiRequest } from "./request-body";
import type { SlackApi, SlackResponseBody } from "./slack-api";

/** Where the transport listens and what it serves. */
export interface TransportOptions {
  api: SlackApi;
  calls: CallLog;
  faults: FaultPlan;
  hostname?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

const API_PREFIX = "/api/";

const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Starts the server; the Web API base URL is `http://host:port/api/`. */
export function serveSlackApi(options: TransportOptions): Server<undefined> {
  return Bun.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    fetch: (request) => handle(request, options),
  });
}

async function handle(request: Request, options: TransportOptions): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith(API_PREFIX) || (request.method !== "POST" && request.method !== "GET")) {
    return new Response("Not Found", { status: 404 });
  }
  const method = decodeURIComponent(pathname.slice(API_PREFIX.length));
  const receivedAt = new Date();
  const parsed = await parseApiRequest(request);
  const args = parsed.ok ? parsed.args : {};
  const record = (httpStatus: number | null, response: SlackResponseBody | null, fault?: Fault) =>
    options.calls.record({
      method,
      token: parsed.token,
      args,
      receivedAt,
      httpStatus,
      response,
      fault,
    });

  const fault = options.faults.take(method);
  switch (fault?.kind) {
    case "rate_limited": {
      const retryAfter = fault.retryAfterSeconds ?? 1;
      const body = { ok: false, error: "ratelimited" };
      record(429, body, fault);
      return slackJson(body, 429, { "Retry-After": String(retryAfter) });
    }
    case "server_error": {
      const status = fault.status ?? 500;
      record(status, null, fault);
      return new Response(STATUS_TEXT[status] ?? "Server Error", { status });
    }
    case "slack_error": {
      const body = { ok: false, error: fault.error };
      record(200, body, fault);
      return slackJson(body);
    }
    default:
      break;
  }

  const body = parsed.ok
    ? options.api.call(method, parsed.token, parsed.args)
    : { ok: false, error: parsed.error };
  if (fault?.kind === "lost_response") {
    record(null, body, fault);
    return droppedConnection();
  }
  record(200, body, fault);
  if (fault?.kind === "latency") await Bun.sleep(fault.ms);
  return slackJson(body);
}

function slackJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * A response whose body stream fails before its first byte. Bun then resets the connection
 * without sending a status line, so the client sees a network error (ECONNRESET) exactly as if
 * the answer had been lost on the way back. Erroring with no reason keeps Bun from logging it.
 */
function droppedConnection(): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.error();
      },
    }),
  );
}
