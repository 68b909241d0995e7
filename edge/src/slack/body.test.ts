import { describe, expect, test } from "bun:test";
import { bodyText, isFormEncoded, isSslCheck, parseForm, parseJsonObject } from "./body";

describe("body parsing", () => {
  test("JSON: only objects are accepted", () => {
    expect(parseJsonObject('{"type":"x"}')).toEqual({ ok: true, value: { type: "x" } });
    for (const text of ["", "[]", "null", "42", '"s"', "{", '{"a":1}x']) {
      expect(parseJsonObject(text)).toEqual({ ok: false });
    }
  });

  test("forms: decoded fields; empty bodies and repeated names are refused", () => {
    expect(parseForm("text=h%C3%A9llo+there&command=%2Fpup")).toEqual({
      ok: true,
      value: { text: "héllo there", command: "/pup" },
    });
    expect(parseForm("")).toEqual({ ok: false });
    expect(parseForm("user_id=U1&user_id=U2")).toEqual({ ok: false });
  });

  test("ssl_check is only ssl_check=1 with nothing but a token beside it", () => {
    expect(isSslCheck({ ssl_check: "1" })).toBe(true);
    expect(isSslCheck({ ssl_check: "1", token: "t" })).toBe(true);
    expect(isSslCheck({ ssl_check: "0", token: "t" })).toBe(false);
    expect(isSslCheck({ ssl_check: "true" })).toBe(false);
    expect(isSslCheck({ ssl_check: "1", command: "/pup" })).toBe(false);
    expect(isSslCheck({ ssl_check: "1", payload: "{}" })).toBe(false);
    expect(isSslCheck({ token: "t" })).toBe(false);
  });

  test("content type and text decoding", () => {
    expect(isFormEncoded("application/x-www-form-urlencoded; charset=utf-8")).toBe(true);
    expect(isFormEncoded("Application/X-WWW-Form-Urlencoded")).toBe(true);
    expect(isFormEncoded("application/json")).toBe(false);
    expect(isFormEncoded(undefined)).toBe(false);
    expect(bodyText(new TextEncoder().encode("pup ✓"))).toBe("pup ✓");
    expect(parseJsonObject(bodyText(new Uint8Array([0x7b, 0xff, 0x7d])))).toEqual({ ok: false });
  });
});
