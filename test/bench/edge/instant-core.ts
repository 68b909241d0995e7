/**
 * The edge benchmark's stand-in for core: checks the edge's signature like core does, then
 * accepts every payload at once (202, no body), counting payloads so the bench can compare them
 * with acknowledgements.
 */
import { verifyCoreRequest } from "../../../protocol/core-signature";
import { parseForwardedBody } from "../../../protocol/forwarded-batch";

export interface InstantCore {
  url: string;
  counts: {
    /** Payloads accepted (a batch counts each of its payloads). */
    accepted: number;
    /** Requests that carried them (fewer than payloads when the edge batched). */
    requests: number;
    /** Requests refused for a bad signature. */
    rejected: number;
    /** Requests whose signed body was not a forwarded payload. */
    malformed: number;
  };
  stop(): Promise<void>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Starts the stand-in on a free loopback port. */
export function startInstantCore(secret: string): InstantCore {
  const counts = { accepted: 0, requests: 0, rejected: 0, malformed: 0 };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = await request.text();
      const now = Math.floor(Date.now() / 1000);
      const check = await verifyCoreRequest(secret, request.headers, body, now);
      if (!check.ok) {
        counts.rejected += 1;
        return new Response(null, { status: 401 });
      }
      const parsed = parseForwardedBody(safeJson(body));
      if (!parsed.ok) {
        counts.malformed += 1;
        return new Response(null, { status: 400 });
      }
      if (parsed.kind === "single") {
        counts.accepted += 1;
        counts.requests += 1;
        return new Response(null, { status: 202 });
      }
      counts.accepted += parsed.items.length;
      counts.requests += 1;
      return Response.json({
        results: parsed.items.map((item) => ({ id: item.payload.id, status: 202 })),
      });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, counts, stop: () => server.stop(true) };
}
