import { describe, expect, test } from "bun:test";
import { appUnderTest, TEST_BINDINGS } from "../../test/fixtures/edge/app-under-test";
import { createRecordingForwarder } from "../../test/fixtures/edge/recording-forwarder";
import { appMention } from "../../test/fixtures/slack/message-events";
import { signedEvent } from "../../test/fixtures/slack/signed-request";
import { createApp } from "./app";
import type { EdgeBindings } from "./env";

function build() {
  const logged: Record<string, unknown>[] = [];
  const forwarder = createRecordingForwarder();
  const app = createApp({ forwarderFor: () => forwarder, log: (entry) => logged.push(entry) });
  return { app, logged, forwarder };
}

describe("edge app", () => {
  test("GET /healthz answers ok with this isolate's counters", async () => {
    const { request } = appUnderTest();
    const response = await request("/healthz");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", counters: { rate_limited: 0, forwarded: 0 } });
  });

  test("counters move with what the edge did", async () => {
    const { request } = appUnderTest();
    await request("/slack/events", signedEvent(appMention));
    await request("/slack/events", { method: "POST", body: "{}" });
    const body = (await (await request("/healthz")).json()) as { counters: object };
    expect(body.counters).toMatchObject({ forwarded: 1, rejected: 1 });
  });

  test("unknown paths get a JSON 404", async () => {
    const response = await build().app.request("/slack/unknown", { method: "POST" }, TEST_BINDINGS);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found" });
  });

  test("misconfigured: every request gets a 500 naming the variables, logged once", async () => {
    const { app, logged, forwarder } = build();
    const env: EdgeBindings = {
      ...TEST_BINDINGS,
      CORE_URL: undefined,
      CORE_SHARED_SECRET: "too-short-secret",
    };
    for (const path of ["/healthz", "/slack/events", "/anything"]) {
      const response = await app.request(path, signedEvent(appMention), env);
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
    expect(forwarder.calls).toHaveLength(0);
  });

  test("no bindings at all is a misconfiguration, not a crash", async () => {
    const response = await build().app.request("/healthz");
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: "edge_misconfigured" });
  });
});
