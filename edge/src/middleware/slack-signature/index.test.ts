import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import {
  signedSlackRequest,
  TEST_SIGNING_SECRET,
  TEST_TIMESTAMP,
} from "../../../../test/fixtures/slack/signed-request";
import { bodyLimit } from "../body-limit";
import { type SlackSignatureEnv, slackSignature } from ".";

const BODY = '{"type":"event_callback","event_id":"Ev1"}';

function build(options: { secret?: string; getSecret?: () => string | undefined } = {}) {
  const rejected: string[] = [];
  const reached: string[] = [];
  const app = new Hono<SlackSignatureEnv>();
  app.post(
    "/slack/events",
    bodyLimit(),
    slackSignature({
      secret: options.secret ?? TEST_SIGNING_SECRET,
      ...(options.getSecret ? { getSecret: options.getSecret } : {}),
      clock: () => TEST_TIMESTAMP * 1000,
      onRejected: ({ reason }) => rejected.push(reason),
    }),
    (c) => {
      reached.push(new TextDecoder().decode(c.get("rawBody")));
      return c.text("handled");
    },
  );
  return { app, rejected, reached };
}

describe("slackSignature", () => {
  test("a correctly signed request reaches the handler with its body", async () => {
    const { app, rejected, reached } = build();
    const response = await app.request("/slack/events", signedSlackRequest(BODY));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("handled");
    expect(reached).toEqual([BODY]);
    expect(rejected).toEqual([]);
  });

  test("every refusal is the same 401 body, with the reason only in the log", async () => {
    const { app, rejected, reached } = build();
    const signed = signedSlackRequest(BODY).headers as Record<string, string>;
    const variants: Record<string, string>[] = [
      {},
      { "x-slack-request-timestamp": signed["x-slack-request-timestamp"]! },
      { "x-slack-signature": signed["x-slack-signature"]! },
      { ...signed, "x-slack-request-timestamp": String(TEST_TIMESTAMP - 301) },
      { ...signed, "x-slack-request-timestamp": String(TEST_TIMESTAMP + 301) },
      { ...signed, "x-slack-signature": "v0=nothex" },
    ];
    for (const headers of variants) {
      const response = await app.request("/slack/events", { method: "POST", body: BODY, headers });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('{"error":"invalid_request"}');
    }
    const tampered = await app.request("/slack/events", {
      ...signedSlackRequest(BODY),
      body: BODY.replace("Ev1", "Ev2"),
    });
    expect(tampered.status).toBe(401);
    expect(reached).toEqual([]);
    expect(rejected).toEqual([
      "missing_timestamp",
      "missing_signature",
      "missing_timestamp",
      "stale_timestamp",
      "future_timestamp",
      "malformed_signature",
      "signature_mismatch",
    ]);
  });

  test("a request signed with another secret is refused", async () => {
    const { app, rejected } = build();
    const response = await app.request(
      "/slack/events",
      signedSlackRequest(BODY, { secret: "someone-elses-signing-secret" }),
    );
    expect(response.status).toBe(401);
    expect(rejected).toEqual(["signature_mismatch"]);
  });

  test("getSecret is read per request and an empty secret verifies nothing", async () => {
    let current: string | undefined = "rotated-secret";
    const { app, rejected } = build({ getSecret: () => current });
    const rotated = signedSlackRequest(BODY, { secret: "rotated-secret" });
    expect((await app.request("/slack/events", rotated)).status).toBe(200);
    current = "";
    const empty = signedSlackRequest(BODY, { secret: "" });
    expect((await app.request("/slack/events", empty)).status).toBe(401);
    expect(rejected).toEqual(["no_secret"]);
  });

  test("used without bodyLimit it fails loudly instead of verifying nothing", async () => {
    const app = new Hono<SlackSignatureEnv>();
    app.post("/x", slackSignature({ secret: TEST_SIGNING_SECRET }), (c) => c.text("reached"));
    app.onError((error, c) => c.text(error.message, 500));
    const response = await app.request("/x", signedSlackRequest(BODY));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("slackSignature needs bodyLimit to run before it");
  });
});
