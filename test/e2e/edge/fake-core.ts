/**
 * A local stand-in for core's `POST /internal/slack`, for end-to-end tests of the edge: a real
 * HTTP server on loopback that verifies the edge's signature with the shared protocol code,
 * records every delivery, de-duplicates by payload id like core (202 first time, 200 after), and
 * can be switched to misbehave: down (connection refused), failing (500) or hanging (no answer
 * until switched back; held requests whose client gave up meanwhile are then dropped unhandled,
 * as by a core that was stuck and restarted, so only a redelivery can bring them in).
 */
import type { Server } from "bun";
import { verifyCoreRequest } from "../../../protocol/core-signature";
import { type BatchItemResult, parseForwardedBody } from "../../../protocol/forwarded-batch";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";

export type FakeCoreBehaviour = "up" | "down" | "failing" | "hanging";

/** One request that reached the fake core with a valid signature and payload. */
export interface CoreDelivery {
  payload: ForwardedPayload;
  /** 202 (first time), 200 (duplicate), 500 (failing / poison id) or 503 (dropped after a hang). */
  status: number;
  headers: Record<string, string>;
  /** The client had gone away (e.g. the edge's deadline fired) before the answer was sent. */
  clientGone: boolean;
  /** The client's source port: one per TCP connection, so distinct ports = connections used. */
  clientPort: number;
  /** The item's trace context: the header for a single payload, the item's field in a batch. */
  traceparent: string;
  /** Payloads in the request that carried this one (1: sent alone). */
  batchSize: number;
}

export interface FakeCore {
  /** Origin to use as CORE_URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Every signed, valid delivery in arrival order (including 500s and duplicates). */
  deliveries: CoreDelivery[];
  /** Requests rejected with 401 (bad or missing signature) or 400 (bad payload). */
  rejected: { status: number; reason: string }[];
  /** Ids accepted once (the set core would have handled). */
  acceptedIds(): Set<string>;
  /** Waits until `predicate` holds, polling; throws with `what` after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  setBehaviour(behaviour: FakeCoreBehaviour): Promise<void>;
  /** Ids that always get 500 while the core is otherwise up (a poison message). */
  failIds: Set<string>;
  /** Milliseconds every answer waits before it is sent (a slow but working core); default 0. */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

export interface FakeCoreOptions {
  secret: string;
  behaviour?: FakeCoreBehaviour;
}

/** Starts a fake core on 127.0.0.1 with a free port. */
export async function startFakeCore(options: FakeCoreOptions): Promise<FakeCore> {
  const deliveries: CoreDelivery[] = [];
  const rejected: { status: number; reason: string }[] = [];
  const accepted = new Set<string>();
  const failIds = new Set<string>();
  const held: (() => void)[] = [];
  let behaviour: FakeCoreBehaviour = "up";
  let delayMs = 0;
  let server: Server<undefined> | undefined;
  let port = 0;

  async function answer(request: Request, srv: Server<undefined>): Promise<Response> {
    const clientPort = srv.requestIP(request)?.port ?? 0;
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/internal/slack") {
      return new Response("not found", { status: 404 });
    }
    const body = await request.text();
    const now = Math.floor(Date.now() / 1000);
    const verified = await verifyCoreRequest(options.secret, request.headers, body, now);
    if (!verified.ok) {
      rejected.push({ status: 401, reason: verified.reason });
      return new Response(null, { status: 401 });
    }
    const parsed = parseForwardedBody(safeJson(body));
    if (!parsed.ok) {
      rejected.push({ status: 400, reason: parsed.problems.join("; ") });
      return new Response(null, { status: 400 });
    }
    if (behaviour === "hanging") {
      await new Promise<void>((release) => held.push(release));
    }
    if (delayMs > 0) await Bun.sleep(delayMs);
    const headers = Object.fromEntries(request.headers);
    const items =
      parsed.kind === "single"
        ? [{ payload: parsed.payload, traceparent: headers.traceparent ?? "" }]
        : parsed.items;
    const results: BatchItemResult[] = items.map(({ payload, traceparent }) => {
      const id = payload.id;
      let status = 500;
      if (request.signal.aborted) status = 503;
      else if (behaviour !== "failing" && !failIds.has(id)) status = accepted.has(id) ? 200 : 202;
      if (status === 202) accepted.add(id);
      deliveries.push({
        payload,
        status,
        headers,
        clientGone: request.signal.aborted,
        clientPort,
        traceparent,
        batchSize: items.length,
      });
      return { id, status };
    });
    if (parsed.kind === "single") return new Response(null, { status: results[0]?.status ?? 500 });
    if (behaviour === "failing") return new Response(null, { status: 500 });
    return Response.json({ results });
  }

  function listen(): void {
    server = Bun.serve({ hostname: "127.0.0.1", port, fetch: answer, idleTimeout: 60 });
    port = server.port ?? 0;
  }

  listen();
  await setBehaviour(options.behaviour ?? "up");

  async function setBehaviour(next: FakeCoreBehaviour): Promise<void> {
    const previous = behaviour;
    behaviour = next;
    if (previous === "hanging" && next !== "hanging") {
      for (const release of held.splice(0)) release();
    }
    if (next === "down" && server) {
      // Closing the listener and every open connection: new connections are refused.
      await server.stop(true);
      server = undefined;
    } else if (next !== "down" && !server) {
      listen();
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    rejected,
    failIds,
    setDelay: (ms) => {
      delayMs = ms;
    },
    acceptedIds: () => new Set(accepted),
    setBehaviour,
    async waitFor(predicate, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fake core: timed out waiting for ${what}`);
        await Bun.sleep(25);
      }
    },
    async stop() {
      behaviour = "down";
      for (const release of held.splice(0)) release();
      await server?.stop(true);
      server = undefined;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
