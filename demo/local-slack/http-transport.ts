/**
 * The HTTP face of the local Slack: routes `POST /api/<method>` to {@link SlackApi} and records
 * every call. Slack answers API-level errors (bad token, unknown method) with HTTP 200 and
 * `ok:false`, and so does this handler. It can run on its own server ({@link serveSlackApi}) or
 * be mounted in a bigger one (the demo's page server) through {@link createApiHandler}.
 */
import type { Server } from "bun";
import type { CallLog } from "./call-log";
import { parseApiRequest } from "./request-body";
import type { SlackApi, SlackResponseBody } from "./slack-api";

/** One call on its way through the handler, as an {@link ApiInterceptor} sees it. */
export interface ApiExchange<Interference> {
  readonly method: string;
  /** Runs the call against the workspace and returns Slack's body (at most once per call). */
  run(): SlackResponseBody;
  /** Records the outcome; `null` status means no answer was sent. */
  record(
    httpStatus: number | null,
    response: SlackResponseBody | null,
    interference?: Interference,
  ): void;
}

/**
 * A hook that may answer a call itself (tests use it to inject faults); `undefined` lets the
 * call through untouched. Product code passes none.
 */
export type ApiInterceptor<Interference> = (
  exchange: ApiExchange<Interference>,
) => Promise<Response | undefined> | Response | undefined;

/** What the handler serves. */
export interface ApiHandlerOptions<Interference> {
  api: SlackApi;
  calls: CallLog<Interference>;
  intercept?: ApiInterceptor<Interference>;
}

/** Where {@link serveSlackApi} listens, besides what it serves. */
export interface TransportOptions<Interference> extends ApiHandlerOptions<Interference> {
  hostname?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * Answers requests outside `/api/` on the same origin (e.g. a slash command's `response_url`,
   * which pup posts to only on SLACK_API_URL's origin); `undefined` falls through to a 404.
   */
  otherRoutes?: (request: Request) => Promise<Response | undefined>;
}

/** The path prefix of every Web API method. */
export const API_PREFIX = "/api/";

/** Starts a server with only the Web API; its base URL is `http://host:port/api/`. */
export function serveSlackApi<Interference>(
  options: TransportOptions<Interference>,
): Server<undefined> {
  const handle = createApiHandler(options);
  const { otherRoutes } = options;
  return Bun.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    async fetch(request) {
      const other = otherRoutes && !new URL(request.url).pathname.startsWith(API_PREFIX);
      return (other && (await otherRoutes(request))) || handle(request);
    },
  });
}

/** A fetch handler for `/api/<method>`; anything else is a 404. */
export function createApiHandler<Interference>(
  options: ApiHandlerOptions<Interference>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    const allowed = request.method === "POST" || request.method === "GET";
    if (!pathname.startsWith(API_PREFIX) || !allowed) {
      return new Response("Not Found", { status: 404 });
    }
    const method = decodeURIComponent(pathname.slice(API_PREFIX.length));
    const receivedAt = new Date();
    const parsed = await parseApiRequest(request);
    let result: SlackResponseBody | undefined;
    const exchange: ApiExchange<Interference> = {
      method,
      run() {
        result ??= parsed.ok
          ? options.api.call(method, parsed.token, parsed.args)
          : { ok: false, error: parsed.error };
        return result;
      },
      record(httpStatus, response, interference) {
        options.calls.record({
          method,
          token: parsed.token,
          args: parsed.ok ? parsed.args : {},
          receivedAt,
          httpStatus,
          response,
          fault: interference,
        });
      },
    };
    const intercepted = await options.intercept?.(exchange);
    if (intercepted) return intercepted;
    const body = exchange.run();
    exchange.record(200, body);
    return slackJson(body);
  };
}

/** A JSON answer with Slack's content type. */
export function slackJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}
