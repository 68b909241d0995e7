import { describe, expect, test } from "bun:test";
import { createTraceparent, isTraceparent } from "./traceparent";

describe("traceparent", () => {
  test("each delivery starts its own well-formed, sampled trace", () => {
    const values = Array.from({ length: 100 }, createTraceparent);
    for (const value of values) expect(isTraceparent(value)).toBe(true);
    expect(new Set(values.map((value) => value.split("-")[1])).size).toBe(100);
  });

  test("malformed and all-zero ids are not trace context", () => {
    const valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    expect(isTraceparent(valid)).toBe(true);
    for (const bad of [
      "",
      valid.toUpperCase(),
      valid.replace(/^00/, "01"),
      `00-${"0".repeat(32)}-b7ad6b7169203331-01`,
      `00-0af7651916cd43dd8448eb211c80319c-${"0".repeat(16)}-01`,
      `${valid}-extra`,
    ]) {
      expect(isTraceparent(bad)).toBe(false);
    }
  });
});
