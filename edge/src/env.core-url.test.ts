// Outside development the edge forwards Slack's payloads to core only over TLS (issue 14, point 10).
import { describe, expect, test } from "bun:test";
import { type EdgeBindings, parseEdgeConfig } from "./env";

const bindings: EdgeBindings = {
  SLACK_SIGNING_SECRET: "signing-secret-for-this-test",
  CORE_SHARED_SECRET: "edge-and-core-share-this-secret-value",
};

describe("CORE_URL's scheme", () => {
  test.each(["staging", "production"])("PUP_ENV=%s refuses http:// and names CORE_URL", (env) => {
    const result = parseEdgeConfig({ ...bindings, PUP_ENV: env, CORE_URL: "http://core.internal" });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          variable: "CORE_URL",
          message: "must be an https:// URL when PUP_ENV is staging or production",
        },
      ],
    });
  });

  test.each(["staging", "production"])("PUP_ENV=%s accepts https://", (env) => {
    const result = parseEdgeConfig({ ...bindings, PUP_ENV: env, CORE_URL: "https://core.example" });
    expect(result.ok && result.config.coreUrl).toBe("https://core.example");
  });

  test("development keeps http:// (wrangler dev against a local core)", () => {
    const result = parseEdgeConfig({ ...bindings, CORE_URL: "http://127.0.0.1:8080" });
    expect(result.ok).toBe(true);
  });
});
