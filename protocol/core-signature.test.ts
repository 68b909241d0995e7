import { describe, expect, test } from "bun:test";
import {
  CORE_SIGNATURE_HEADER,
  CORE_TIMESTAMP_HEADER,
  type CoreSignatureResult,
  signCoreRequest,
  verifyCoreRequest,
} from "./core-signature";

const SECRET = "protocol-test-shared-secret-0123456789";
const NOW = 1_800_000_000;
const BODY = JSON.stringify({ version: 1, kind: "event", id: "Ev01" });

describe("core request signature", () => {
  test("a signed request verifies, from a Headers object and from a plain record", async () => {
    const signed = await signCoreRequest(SECRET, BODY, NOW);
    expect(signed[CORE_TIMESTAMP_HEADER]).toBe(String(NOW));
    expect(signed[CORE_SIGNATURE_HEADER]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await verifyCoreRequest(SECRET, signed, BODY, NOW)).toEqual({ ok: true });
    expect(await verifyCoreRequest(SECRET, new Headers({ ...signed }), BODY, NOW)).toEqual({
      ok: true,
    });
  });

  test("the MAC is HMAC-SHA256 over v1:{timestamp}:{body}, computed independently", async () => {
    const hasher = new Bun.CryptoHasher("sha256", SECRET);
    hasher.update(`v1:${NOW}:${BODY}`);
    const signed = await signCoreRequest(SECRET, BODY, NOW);
    expect(signed[CORE_SIGNATURE_HEADER]).toBe(`v1=${hasher.digest("hex")}`);
  });

  test("a tampered body, timestamp or signature is rejected", async () => {
    const signed = await signCoreRequest(SECRET, BODY, NOW);
    expect(await verifyCoreRequest(SECRET, signed, `${BODY} `, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    const moved = { ...signed, [CORE_TIMESTAMP_HEADER]: String(NOW - 1) };
    expect(await verifyCoreRequest(SECRET, moved, BODY, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    const mac = signed[CORE_SIGNATURE_HEADER];
    const flipped = `${mac.slice(0, -1)}${mac.endsWith("0") ? "1" : "0"}`;
    const forged = { ...signed, [CORE_SIGNATURE_HEADER]: flipped };
    expect(await verifyCoreRequest(SECRET, forged, BODY, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  test("a different secret is rejected", async () => {
    const signed = await signCoreRequest(`${SECRET}-other`, BODY, NOW);
    expect(await verifyCoreRequest(SECRET, signed, BODY, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  test("timestamps outside ±300 s are rejected, in the past and in the future", async () => {
    const at = async (signedAt: number) =>
      verifyCoreRequest(SECRET, await signCoreRequest(SECRET, BODY, signedAt), BODY, NOW);
    expect(await at(NOW - 300)).toEqual({ ok: true });
    expect(await at(NOW + 300)).toEqual({ ok: true });
    expect(await at(NOW - 301)).toEqual({ ok: false, reason: "stale" });
    expect(await at(NOW + 301)).toEqual({ ok: false, reason: "future" });
    const tight = await signCoreRequest(SECRET, BODY, NOW - 11);
    expect(await verifyCoreRequest(SECRET, tight, BODY, NOW, 10)).toEqual({
      ok: false,
      reason: "stale",
    });
  });

  test("missing or malformed headers are rejected before any MAC is computed", async () => {
    const signed = await signCoreRequest(SECRET, BODY, NOW);
    type Reason = Extract<CoreSignatureResult, { ok: false }>["reason"];
    const cases: [Record<string, string | undefined>, Reason][] = [
      [{}, "missing_headers"],
      [{ [CORE_TIMESTAMP_HEADER]: String(NOW) }, "missing_headers"],
      [{ [CORE_SIGNATURE_HEADER]: signed[CORE_SIGNATURE_HEADER] }, "missing_headers"],
      [{ ...signed, [CORE_TIMESTAMP_HEADER]: "soon" }, "malformed"],
      [{ ...signed, [CORE_TIMESTAMP_HEADER]: `${NOW}.5` }, "malformed"],
      [{ ...signed, [CORE_SIGNATURE_HEADER]: signed[CORE_SIGNATURE_HEADER].slice(3) }, "malformed"],
      [{ ...signed, [CORE_SIGNATURE_HEADER]: "v0=abcd" }, "malformed"],
      [{ ...signed, [CORE_SIGNATURE_HEADER]: "v1=abcd" }, "malformed"],
      [{ ...signed, [CORE_SIGNATURE_HEADER]: `v1=${"z".repeat(64)}` }, "malformed"],
    ];
    for (const [headers, reason] of cases) {
      expect(await verifyCoreRequest(SECRET, headers, BODY, NOW)).toEqual({ ok: false, reason });
    }
  });
});
