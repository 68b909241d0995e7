/**
 * The edge's front door in real workerd, attacked: every request below must be refused (401,
 * or 413 for oversized bodies) with the same minimal body, and the fake core must see nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appMention } from "../../fixtures/slack/message-events";
import { rawUpload } from "./raw-upload";
import { slackSignatureHeaders } from "./slack-requests";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

const REFUSED = '{"error":"invalid_request"}';
const body = JSON.stringify(appMention);
const now = () => Math.floor(Date.now() / 1000);

let routes: RoutesUnderTest;
beforeAll(async () => {
  routes = await startRoutes();
});
afterAll(async () => {
  // Whatever happened above, core received nothing.
  expect(routes.core.deliveries).toHaveLength(0);
  expect(routes.core.rejected).toHaveLength(0);
  await routes.stop();
});

async function post(
  headers: Record<string, string>,
  payload: string = body,
  path = "/slack/events",
) {
  return routes.edge.fetch(path, {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", ...headers },
  });
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(401);
  expect(await response.text()).toBe(REFUSED);
}

describe("events, security (workerd)", () => {
  test("a bad signature, or one made with another secret, is refused", async () => {
    const signed = await slackSignatureHeaders(body);
    const flipped = signed["x-slack-signature"]!.replace(/.$/, (last) =>
      last === "0" ? "1" : "0",
    );
    await expectRefused(await post({ ...signed, "x-slack-signature": flipped }));
    await expectRefused(
      await post(await slackSignatureHeaders(body, { secret: "not-pups-secret" })),
    );
    await expectRefused(await post(signed, body.replace("Ev0APPMENTION1", "Ev0APPMENTION2")));
  });

  test("timestamps 301 s old or 301 s ahead are refused, even correctly signed", async () => {
    await expectRefused(await post(await slackSignatureHeaders(body, { timestamp: now() - 301 })));
    await expectRefused(await post(await slackSignatureHeaders(body, { timestamp: now() + 301 })));
  });

  test("a replayed request captured ten minutes ago is refused", async () => {
    const captured = await slackSignatureHeaders(body, { timestamp: now() - 600 });
    await expectRefused(await post(captured));
  });

  test("missing or malformed headers are refused", async () => {
    const signed = await slackSignatureHeaders(body);
    const ts = signed["x-slack-request-timestamp"]!;
    const signature = signed["x-slack-signature"]!;
    const variants: Record<string, string>[] = [
      {},
      { "x-slack-request-timestamp": ts },
      { "x-slack-signature": signature },
      { "x-slack-request-timestamp": `${ts}.0`, "x-slack-signature": signature },
      { "x-slack-request-timestamp": ts, "x-slack-signature": signature.slice(3) },
      { "x-slack-request-timestamp": ts, "x-slack-signature": signature.toUpperCase() },
    ];
    for (const headers of variants) await expectRefused(await post(headers));
  });

  test("ssl_check cannot be smuggled past verification", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    await expectRefused(await post(form, "ssl_check=1"));
    await expectRefused(await post(form, "ssl_check=1&token=x", "/slack/commands"));
    await expectRefused(await post({}, body, "/slack/events?ssl_check=1"));
    const stale = await slackSignatureHeaders("ssl_check=1", { timestamp: now() - 400 });
    await expectRefused(await post({ ...form, ...stale }, "ssl_check=1", "/slack/commands"));
  });

  test("bodies over 1 MB get 413 before they are read whole, with or without a length", async () => {
    const totalBytes = 4 << 20;
    const signed = { "content-type": "application/json", ...(await slackSignatureHeaders("")) };
    for (const framing of ["content-length", "chunked"] as const) {
      const upload = await rawUpload(routes.edge.url, "/slack/events", signed, {
        totalBytes,
        framing,
      });
      expect({ framing, status: upload.status }).toEqual({ framing, status: 413 });
      expect(upload.sentBytes).toBeLessThan(totalBytes / 2);
    }
  });

  test("refusals are counted and logged with a reason, never with the signature", async () => {
    const counters = await routes.counters();
    expect(counters.rejected).toBeGreaterThanOrEqual(15);
    expect(counters.too_large).toBe(2);
    const lines = routes.edge.logs.filter(
      (line): line is Record<string, unknown> =>
        typeof line === "object" && line !== null && "msg" in line,
    );
    const reasons = new Set(
      lines.filter((line) => line.msg === "slack_request_rejected").map((line) => line.reason),
    );
    expect([...reasons].sort()).toEqual([
      "future_timestamp",
      "malformed_signature",
      "malformed_timestamp",
      "missing_signature",
      "missing_timestamp",
      "signature_mismatch",
      "stale_timestamp",
    ]);
    expect(JSON.stringify(routes.edge.logs)).not.toMatch(/v0=[0-9a-f]{64}/);
  });
});
