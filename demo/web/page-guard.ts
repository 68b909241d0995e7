/**
 * Keeps the demo's page server to its own page. The demo listens on loopback, but any site the
 * person has open can still talk to loopback: a cross-origin `text/plain` POST needs no preflight,
 * and a DNS-rebinding name that resolves to 127.0.0.1 makes the browser treat the demo as that
 * site. So every request must name the demo itself as its Host, the page's requests may come only
 * from the page's own origin, and they must carry a token made fresh for this run and embedded
 * in the page, which no other origin can read.
 */
import { timingSafeEqual } from "node:crypto";

/** The header the page's `fetch` calls carry the token in. */
export const PAGE_TOKEN_HEADER = "x-pup-demo-token";
/** The query parameter `/events` takes it in: an EventSource cannot set headers. */
export const PAGE_TOKEN_PARAM = "token";
/** `<meta name=…>` in the page holding it. */
export const PAGE_TOKEN_META = "pup-demo-token";

/** A fresh token for one run of the demo: 32 random bytes, hex. */
export function newPageToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
}

function sameToken(presented: string | null, token: string): boolean {
  if (presented === null || presented.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(token));
}

function refuse(error: string): Response {
  return Response.json(
    { ok: false, error },
    { status: 403, headers: { "Cache-Control": "no-store" } },
  );
}

/**
 * Why `request` is refused, as the response to send, or undefined when it may go on.
 * `port` is the port the server listens on.
 */
export function guardPageRequest(
  request: Request,
  port: number,
  token: string,
): Response | undefined {
  const host = request.headers.get("host") ?? "";
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse("bad_host");
  const url = new URL(request.url);
  const { pathname } = url;
  const forPage = pathname.startsWith("/ui/") || pathname === "/events";
  if (!forPage) return undefined;
  // Browsers send Origin on every cross-origin request and every POST; other clients (pup's own
  // response_url posts, tests, curl) send none and are held by the token instead.
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== `http://${host}`) return refuse("bad_origin");
  // response_url posts come from pup, which knows only the unguessable URL Slack would give it.
  if (pathname.startsWith("/ui/respond/")) return undefined;
  const presented =
    request.headers.get(PAGE_TOKEN_HEADER) ??
    (pathname === "/events" ? url.searchParams.get(PAGE_TOKEN_PARAM) : null);
  return sameToken(presented, token) ? undefined : refuse("bad_token");
}
