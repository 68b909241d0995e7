import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { type BodyLimitEnv, bodyLimit, MAX_BODY_BYTES, readAtMost } from ".";

const CHUNK = 64 * 1024;

/** A body stream that counts how many chunks the reader pulled: proof of "not read whole". */
function countedStream(totalBytes: number) {
  const state = { pulled: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(CHUNK, totalBytes - sent);
      sent += size;
      state.pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
  return { stream, state };
}

function build() {
  const refused: (number | null)[] = [];
  const seen: number[] = [];
  const app = new Hono<BodyLimitEnv>();
  app.post(
    "/in",
    bodyLimit({ onRefused: ({ declaredBytes }) => refused.push(declaredBytes) }),
    (c) => {
      seen.push(c.get("rawBody").byteLength);
      return c.text(new TextDecoder().decode(c.get("rawBody")));
    },
  );
  return { app, refused, seen };
}

function post(body: RequestInit["body"], headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", body, headers, duplex: "half" } as RequestInit;
}

describe("bodyLimit", () => {
  test("passes the exact bytes on to later handlers", async () => {
    const { app, seen } = build();
    const response = await app.request("/in", post("token=abc&text=h%C3%A9llo ✓"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("token=abc&text=h%C3%A9llo ✓");
    expect(seen).toEqual([new TextEncoder().encode("token=abc&text=h%C3%A9llo ✓").byteLength]);
  });

  test("a body with a declared length is read whole in one go, byte for byte", async () => {
    const { app, seen } = build();
    const body = new TextEncoder().encode('{"text":"h\u00e9llo ✓"}');
    const response = await app.request(
      "/in",
      post(body, { "content-length": String(body.byteLength) }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"text":"h\u00e9llo ✓"}');
    expect(seen).toEqual([body.byteLength]);
  });

  test("an empty body is an empty buffer, not an error", async () => {
    const { app, seen } = build();
    expect((await app.request("/in", { method: "POST" })).status).toBe(200);
    expect(seen).toEqual([0]);
  });

  test("exactly the limit is accepted; one byte more is not", async () => {
    const { app, seen } = build();
    const atLimit = await app.request("/in", post(new Uint8Array(MAX_BODY_BYTES)));
    expect(atLimit.status).toBe(200);
    expect(seen).toEqual([MAX_BODY_BYTES]);
    const over = await app.request("/in", post(countedStream(MAX_BODY_BYTES + 1).stream));
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: "payload_too_large" });
  });

  test("a declared Content-Length over the limit is refused without reading", async () => {
    const { app, refused, seen } = build();
    const { stream, state } = countedStream(2 * MAX_BODY_BYTES);
    const response = await app.request(
      "/in",
      post(stream, { "content-length": String(2 * MAX_BODY_BYTES) }),
    );
    expect(response.status).toBe(413);
    expect(refused).toEqual([2 * MAX_BODY_BYTES]);
    expect(seen).toEqual([]);
    // ReadableStream pulls once eagerly to fill its queue; nothing more was asked for.
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  test("no Content-Length: reading stops just past the limit", async () => {
    const { app, refused } = build();
    const { stream, state } = countedStream(8 * MAX_BODY_BYTES);
    const response = await app.request("/in", post(stream));
    expect(response.status).toBe(413);
    expect(refused).toEqual([null]);
    expect(state.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES / CHUNK + 2);
  });

  test("a lying Content-Length does not let more through: the size is checked after reading", async () => {
    const { app, refused, seen } = build();
    const { stream } = countedStream(2 * MAX_BODY_BYTES);
    const response = await app.request("/in", post(stream, { "content-length": "10" }));
    expect(response.status).toBe(413);
    expect(refused).toHaveLength(1);
    expect(seen).toEqual([]);
  });
});

describe("readAtMost", () => {
  test("joins chunks in order", async () => {
    const parts = ["ab", "cd", "e"].map((part) => new TextEncoder().encode(part));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    const body = await readAtMost(stream, 5);
    expect(new TextDecoder().decode(body)).toBe("abcde");
  });
});
