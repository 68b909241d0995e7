import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { type SlackSignatureInput, verifySlackSignature } from "./verify";

// Slack's published worked example ("Verifying requests from Slack").
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = "1531420618";
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V" +
  "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
  "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmib" +
  "IGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const NOW = Number(TIMESTAMP);

const published: SlackSignatureInput = {
  secret: SECRET,
  timestamp: TIMESTAMP,
  signature: SIGNATURE,
  body: BODY,
  nowSeconds: NOW,
};

/** An independent signer (node:crypto, not WebCrypto) so the test does not check itself. */
function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

describe("verifySlackSignature", () => {
  test("Slack's published example verifies at its own time, as text and as bytes", async () => {
    expect(sign(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
    expect(await verifySlackSignature(published)).toEqual({ ok: true });
    const bytes = new TextEncoder().encode(BODY);
    expect(await verifySlackSignature({ ...published, body: bytes })).toEqual({ ok: true });
  });

  test("the window is 300 s both ways, inclusive", async () => {
    const at = (nowSeconds: number) => verifySlackSignature({ ...published, nowSeconds });
    expect(await at(NOW + 300)).toEqual({ ok: true });
    expect(await at(NOW - 300)).toEqual({ ok: true });
    expect(await at(NOW + 300.9)).toEqual({ ok: true });
    expect(await at(NOW + 301)).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(await at(NOW - 301)).toEqual({ ok: false, reason: "future_timestamp" });
  });

  test("each malformed or missing part has its own reason", async () => {
    const check = (change: Partial<SlackSignatureInput>) =>
      verifySlackSignature({ ...published, ...change });
    const reasons = await Promise.all([
      check({ secret: "" }),
      check({ timestamp: undefined }),
      check({ timestamp: "" }),
      check({ timestamp: "1531420618.5" }),
      check({ timestamp: "-1531420618" }),
      check({ timestamp: " 1531420618" }),
      check({ signature: null }),
      check({ signature: SIGNATURE.replace("v0=", "v1=") }),
      check({ signature: SIGNATURE.slice(3) }),
      check({ signature: SIGNATURE.toUpperCase().replace("V0=", "v0=") }),
      check({ signature: `${SIGNATURE}0` }),
      check({ signature: SIGNATURE.slice(0, -1) }),
      check({ signature: `${SIGNATURE.slice(0, -1)}g` }),
    ]);
    expect(reasons.map((result) => (result.ok ? "ok" : result.reason))).toEqual([
      "no_secret",
      "missing_timestamp",
      "missing_timestamp",
      "malformed_timestamp",
      "malformed_timestamp",
      "malformed_timestamp",
      "missing_signature",
      "malformed_signature",
      "malformed_signature",
      "malformed_signature",
      "malformed_signature",
      "malformed_signature",
      "malformed_signature",
    ]);
  });

  test("any change to body, timestamp, signature or secret is a mismatch", async () => {
    const flipped = `${SIGNATURE.slice(0, -1)}${SIGNATURE.endsWith("3") ? "4" : "3"}`;
    const mismatches = await Promise.all([
      verifySlackSignature({ ...published, body: BODY.replace("text=", "text=x") }),
      verifySlackSignature({ ...published, body: `${BODY} ` }),
      verifySlackSignature({ ...published, timestamp: "1531420619" }),
      verifySlackSignature({ ...published, signature: flipped }),
      verifySlackSignature({ ...published, secret: `${SECRET}x` }),
    ]);
    for (const result of mismatches) {
      expect(result).toEqual({ ok: false, reason: "signature_mismatch" });
    }
  });

  test("keys cached per secret never leak into another secret's checks", async () => {
    const other = "another-signing-secret";
    const otherSignature = sign(other, TIMESTAMP, BODY);
    for (let round = 0; round < 3; round += 1) {
      expect(await verifySlackSignature(published)).toEqual({ ok: true });
      expect(await verifySlackSignature({ ...published, secret: other })).toMatchObject({
        ok: false,
      });
      expect(
        await verifySlackSignature({ ...published, secret: other, signature: otherSignature }),
      ).toEqual({ ok: true });
    }
    // More secrets than the cache holds: evicted keys are imported again, still correctly.
    for (let index = 0; index < 20; index += 1) {
      const secret = `rotating-secret-${index}`;
      const signature = sign(secret, TIMESTAMP, BODY);
      expect(await verifySlackSignature({ ...published, secret, signature })).toEqual({ ok: true });
    }
    expect(await verifySlackSignature(published)).toEqual({ ok: true });
  });
});
