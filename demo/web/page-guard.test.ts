// The demo's page server refuses what another site could send it from the person's browser:
// cross-origin `text/plain` POSTs, a rebound Host, requests without this run's token (issue 14,
// point 13). A real server on loopback; the edge is a stand-in that counts what reached it.
import { afterAll, describe, expect, test } from "bun:test";
import { DEMO_IDENTITY, startDemoWeb } from "./index";

const { users, channels } = DEMO_IDENTITY;
let delivered = 0;
const web = startDemoWeb({
  port: 0,
  signingSecret: "page-guard-test-signing-secret",
  botToken: `xox${"b-"}page-guard-test`,
  async edge() {
    delivered++;
    return new Response(null, { status: 200 });
  },
});
afterAll(() => web.stop());

const port = new URL(web.url).port;
const message = (text: string) =>
  JSON.stringify({ user: users.alice.id, channel: channels.general.id, text });

/** A POST to /ui/message with `headers`, as a browser or a script might send it. */
async function postMessage(headers: Record<string, string>, text = "hello") {
  const before = delivered;
  const response = await fetch(`${web.url}ui/message`, {
    method: "POST",
    headers,
    body: message(text),
  });
  return { status: response.status, body: await response.json(), reachedEdge: delivered > before };
}

describe("the demo page server", () => {
  test("a cross-origin text/plain POST (no preflight in a browser) is refused", async () => {
    const answer = await postMessage({
      "content-type": "text/plain",
      origin: "https://evil.example",
    });
    expect(answer).toEqual({
      status: 403,
      body: { ok: false, error: "bad_origin" },
      reachedEdge: false,
    });
    // Even with the token: the origin alone is enough to refuse.
    const withToken = await postMessage({
      "content-type": "text/plain",
      origin: "https://evil.example",
      "x-pup-demo-token": web.pageToken,
    });
    expect(withToken.status).toBe(403);
  });

  test("a Host other than 127.0.0.1 or localhost on this port (DNS rebinding) is refused", async () => {
    for (const host of ["rebind.evil.example", `rebind.evil.example:${port}`, "127.0.0.1:1"]) {
      const answer = await postMessage({ host, "x-pup-demo-token": web.pageToken });
      expect(answer).toEqual({
        status: 403,
        body: { ok: false, error: "bad_host" },
        reachedEdge: false,
      });
      const page = await fetch(web.url, { headers: { host } });
      expect(page.status).toBe(403);
    }
  });

  test("a missing or wrong token is refused, on actions, state and the event stream", async () => {
    const refused: Record<string, string>[] = [
      {},
      { "x-pup-demo-token": "0".repeat(64) },
      { "x-pup-demo-token": "" },
    ];
    for (const headers of refused) {
      const answer = await postMessage({ "content-type": "application/json", ...headers });
      expect(answer).toEqual({
        status: 403,
        body: { ok: false, error: "bad_token" },
        reachedEdge: false,
      });
    }
    expect((await fetch(`${web.url}ui/state`)).status).toBe(403);
    expect((await fetch(`${web.url}events`)).status).toBe(403);
    expect((await fetch(`${web.url}events?token=wrong`)).status).toBe(403);
  });

  test("the page's own requests pass: same origin, its Host, the embedded token", async () => {
    const html = await (await fetch(web.url)).text();
    const embedded = /<meta name="pup-demo-token" content="([0-9a-f]{64})">/.exec(html)?.[1];
    expect(embedded).toBe(web.pageToken);
    const answer = await postMessage({
      "content-type": "application/json",
      origin: web.url.replace(/\/$/, ""),
      "x-pup-demo-token": web.pageToken,
    });
    expect(answer.status).toBe(200);
    expect(answer.reachedEdge).toBe(true);
    const viaLocalhost = await fetch(`${web.url}ui/state`, {
      headers: { host: `localhost:${port}`, "x-pup-demo-token": web.pageToken },
    });
    expect(viaLocalhost.status).toBe(200);
    const controller = new AbortController();
    const stream = await fetch(`${web.url}events?token=${web.pageToken}`, {
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    controller.abort();
  });
});
