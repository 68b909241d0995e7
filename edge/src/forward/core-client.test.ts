import { afterAll, describe, expect, test } from "bun:test";
import { verifyCoreRequest } from "../../../protocol/core-signature";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { createCoreClient } from "./core-client";
import { createTraceparent } from "./traceparent";

const SECRET = "core-client-test-shared-secret-0123456789";

function payload(patch: Partial<ForwardedPayload> = {}): ForwardedPayload {
  return {
    version: 1,
    kind: "event",
    id: `Ev${crypto.randomUUID()}`,
    teamId: "T0PUP",
    receivedAt: new Date().toISOString(),
    retry: { num: 0, reason: null },
    payload: { type: "event_callback" },
    ...patch,
  };
}

interface Seen {
  headers: Headers;
  body: string;
  clientPort: number;
  aborted: Promise<void>;
}

/** A real loopback core whose answer each test chooses. */
function startCore(answer: (seen: Seen) => Promise<Response> | Response) {
  const seen: Seen[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request, srv) {
      const aborted = new Promise<void>((resolve) =>
        request.signal.addEventListener("abort", () => resolve()),
      );
      const entry = {
        headers: request.headers,
        body: await request.text(),
        clientPort: srv.requestIP(request)?.port ?? 0,
        aborted,
      };
      seen.push(entry);
      return answer(entry);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, seen, server };
}

const servers: { stop(force: boolean): unknown }[] = [];
afterAll(() => {
  for (const server of servers) server.stop(true);
});

describe("core client", () => {
  test("202 and 200 are accepted; the request is signed, traced and carries retries", async () => {
    let status = 202;
    const core = startCore(() => new Response(null, { status }));
    servers.push(core.server);
    const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
    const traceparent = createTraceparent();
    const retried = payload({ retry: { num: 2, reason: "http_timeout" } });

    expect(await client.deliver(retried, { traceparent }, 1000)).toEqual({
      accepted: true,
      status: 202,
    });
    status = 200;
    expect(await client.deliver(payload(), { traceparent }, 1000)).toEqual({
      accepted: true,
      status: 200,
    });

    const [first, second] = core.seen;
    if (!first || !second) throw new Error("core saw fewer than two requests");
    expect(JSON.parse(first.body)).toEqual(retried);
    const now = Date.now() / 1000;
    expect(await verifyCoreRequest(SECRET, first.headers, first.body, now)).toEqual({ ok: true });
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(first.headers.get("traceparent")).toBe(traceparent);
    expect(first.headers.get("x-slack-retry-num")).toBe("2");
    expect(first.headers.get("x-slack-retry-reason")).toBe("http_timeout");
    expect(second.headers.get("x-slack-retry-num")).toBeNull();
    expect(second.headers.get("x-slack-retry-reason")).toBeNull();
  });

  test("any other status is not accepted", async () => {
    for (const status of [201, 204, 400, 401, 429, 500, 503]) {
      const core = startCore(() => new Response("no", { status }));
      servers.push(core.server);
      const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
      const answer = await client.deliver(payload(), { traceparent: createTraceparent() }, 1000);
      expect(answer).toEqual({ accepted: false, reason: `status ${status}` });
    }
  });

  test("a refused connection is a network failure", async () => {
    const core = startCore(() => new Response(null, { status: 202 }));
    core.server.stop(true);
    const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
    const answer = await client.deliver(payload(), { traceparent: createTraceparent() }, 1000);
    expect(answer).toMatchObject({ accepted: false, reason: "network" });
  });

  test("at the deadline the in-flight request is aborted, not just abandoned", async () => {
    const core = startCore(async (seen) => {
      await seen.aborted;
      return new Response(null, { status: 202 });
    });
    servers.push(core.server);
    const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
    const startedAt = performance.now();
    const answer = await client.deliver(payload(), { traceparent: createTraceparent() }, 150);
    const elapsed = performance.now() - startedAt;
    expect(answer).toEqual({ accepted: false, reason: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
    // The server side sees the client go away: the connection was really cancelled.
    const aborted = core.seen[0]?.aborted;
    expect(await Promise.race([aborted?.then(() => "aborted"), Bun.sleep(1000)])).toBe("aborted");
  });

  test("sequential deliveries reuse one connection", async () => {
    const core = startCore(() => new Response(null, { status: 202 }));
    servers.push(core.server);
    const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
    for (let i = 0; i < 20; i++) {
      await client.deliver(payload(), { traceparent: createTraceparent() }, 1000);
    }
    expect(new Set(core.seen.map((seen) => seen.clientPort)).size).toBe(1);
  });
});

describe("core client: batches", () => {
  const items = (n: number) =>
    Array.from({ length: n }, () => ({ payload: payload(), traceparent: createTraceparent() }));

  test("several payloads go in one signed request; each gets its item's answer", async () => {
    const core = startCore((seen) => {
      const body = JSON.parse(seen.body) as { batch: { payload: { id: string } }[] };
      const statuses = [202, 200, 400];
      return Response.json({
        results: body.batch.map((item, i) => ({ id: item.payload.id, status: statuses[i] })),
      });
    });
    servers.push(core.server);
    const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
    const sent = items(3);
    expect(await client.deliverBatch(sent, 1000)).toEqual([
      { accepted: true, status: 202 },
      { accepted: true, status: 200 },
      { accepted: false, reason: "status 400" },
    ]);
    expect(core.seen).toHaveLength(1);
    const [seen] = core.seen;
    if (!seen) throw new Error("core saw no request");
    const now = Date.now() / 1000;
    expect(await verifyCoreRequest(SECRET, seen.headers, seen.body, now)).toEqual({ ok: true });
    expect(JSON.parse(seen.body)).toEqual({ version: 1, batch: sent });
  });

  test("one payload is sent bare, as a single delivery", async () => {
    const core = startCore(() => new Response(null, { status: 202 }));
    servers.push(core.server);
    const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
    const [only] = items(1);
    if (!only) throw new Error("no item");
    expect(await client.deliverBatch([only], 1000)).toEqual([{ accepted: true, status: 202 }]);
    expect(JSON.parse(core.seen[0]?.body ?? "")).toEqual(only.payload);
    expect(core.seen[0]?.headers.get("traceparent")).toBe(only.traceparent);
  });

  test("a failed status or an answer that does not match the batch accepts nothing", async () => {
    const answers: Array<() => Response> = [
      () => new Response("down", { status: 503 }),
      () => new Response(null, { status: 202 }),
      () => new Response("{not json", { status: 200 }),
      () => Response.json({ results: [{ id: "someone-else", status: 202 }] }),
    ];
    const reasons: string[] = [];
    for (const answer of answers) {
      const core = startCore(answer);
      servers.push(core.server);
      const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
      const result = await client.deliverBatch(items(2), 1000);
      expect(result.every((r) => !r.accepted)).toBe(true);
      reasons.push(...result.map((r) => (r.accepted ? "accepted" : r.reason)));
    }
    expect(reasons).toEqual([
      "status 503",
      "status 503",
      "status 202",
      "status 202",
      "malformed batch answer",
      "malformed batch answer",
      "malformed batch answer",
      "malformed batch answer",
    ]);
  });

  test("a batch to a core that is down fails every item as a network failure", async () => {
    const core = startCore(() => new Response(null, { status: 202 }));
    core.server.stop(true);
    const client = createCoreClient({ coreUrl: core.url, secret: SECRET });
    const result = await client.deliverBatch(items(2), 1000);
    expect(result.map((r) => (r.accepted ? "accepted" : r.reason))).toEqual(["network", "network"]);
  });
});
