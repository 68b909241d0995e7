import { describe, expect, test } from "bun:test";
import { createApp } from "./app";
import type { EdgeBindings } from "./env";

const valid: EdgeBindings = {
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
  CORE_URL: "http://127.0.0.1:8080",
  CORE_SHARED_SECRET: "edge-and-core-share-this-secret-value",
  PUP_ENV: "development",
  LOG_LEVEL: "info",
};

function build() {
  const logged: Record<string, unknown>[] = [];
  return { app: createApp({ log: (entry) => logged.push(entry) }), logged };
}

describe("edge app", () => {
  test("GET /healthz answers ok when configured", async () => {
    const { app } = build();
    const response = await app.request("/healthz", {}, valid);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  test("unknown paths get a JSON 404", async () => {
    const response = await build().app.request("/slack/unknown", { method: "POST" }, valid);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found" });
  });

  test("misconfigured: every request gets a 500 naming the variables, logged once", async () => {
    const { app, logged } = build();
    const env: EdgeBindings = {
      ...valid,
      CORE_URL: undefined,
      CORE_SHARED_SECRET: "too-short-secret",
    };
    for (const path of ["/healthz", "/slack/events", "/anything"]) {
      const response = await app.request(path, { method: "POST" }, env);
      expect(response.status).toBe(500);
      const body = await response.json();
      expect(body).toEqual({
        error: "edge_misconfigured",
        variables: ["CORE_URL", "CORE_SHARED_SECRET"],
      });
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: "error", msg: "edge misconfigured" });
    expect(JSON.stringify(logged)).not.toContain("too-short-secret");
  });

  test("no bindings at all is a misconfiguration, not a crash", async () => {
    const response = await build().app.request("/healthz");
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: "edge_misconfigured" });
  });
});
