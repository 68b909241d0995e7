import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { type FakeSlack, startFakeSlack } from "./index";
import { thrownBy, webClientFor } from "./web-client";

const fake: FakeSlack = startFakeSlack({ channels: [{ id: "C0GENERAL", name: "general" }] });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

/** One quick retry: p-retry's default 1 s back-off would only slow the suite down. */
const oneQuickRetry = { retries: 1, minTimeout: 0, maxTimeout: 0 };
const texts = () => fake.workspace.messages.channelTimeline("C0GENERAL").map((m) => m.text);
const post = (text: string) => ({ channel: "C0GENERAL", text });

describe("rate_limited", () => {
  test("answers HTTP 429 with Retry-After and error ratelimited, and posts nothing", async () => {
    fake.failNext("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 7 });
    const raw = await fetch(`${fake.url}chat.postMessage`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${fake.token}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "channel=C0GENERAL&text=hi",
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("7");
    expect(await raw.json()).toEqual({ ok: false, error: "ratelimited" });
    expect(texts()).toEqual([]);
  });

  test("the SDK waits Retry-After, retries, and succeeds once", async () => {
    fake.failNext("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 1 });
    const started = performance.now();
    const result = await webClientFor(fake, { retryConfig: oneQuickRetry }).chat.postMessage(
      post("patient"),
    );
    expect(result.ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo("chat.postMessage").map((c) => c.httpStatus)).toEqual([429, 200]);
    expect(texts()).toEqual(["patient"]);
  });

  test("with rejectRateLimitedCalls the SDK surfaces the Retry-After instead", async () => {
    fake.failNext("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 3 });
    const thrown = await thrownBy(() =>
      webClientFor(fake, { rejectRateLimitedCalls: true }).chat.postMessage(post("x")),
    );
    expect(thrown.code).toBe("slack_webapi_rate_limited_error");
    expect(thrown.retryAfter).toBe(3);
  });
});

describe("server_error", () => {
  test("an HTTP 5xx fails the call and posts nothing", async () => {
    fake.failNext("chat.postMessage", { kind: "server_error", status: 503 });
    const thrown = await thrownBy(() => webClientFor(fake).chat.postMessage(post("x")));
    expect(thrown.code).toBe("slack_webapi_http_error");
    expect(thrown.statusCode).toBe(503);
    expect(texts()).toEqual([]);
  });

  test("the SDK retries a 500 and the message is posted once", async () => {
    fake.failNext("chat.postMessage", { kind: "server_error", status: 500 });
    await webClientFor(fake, { retryConfig: oneQuickRetry }).chat.postMessage(post("second try"));
    expect(fake.callsTo("chat.postMessage").map((c) => c.httpStatus)).toEqual([500, 200]);
    expect(texts()).toEqual(["second try"]);
  });
});

describe("latency", () => {
  test("holds the answer back for the given time", async () => {
    fake.failNext("auth.test", { kind: "latency", ms: 150 });
    const started = performance.now();
    expect((await webClientFor(fake).auth.test()).ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  test("a client timeout gives up, yet the message was already posted", async () => {
    fake.failNext("chat.postMessage", { kind: "latency", ms: 300 });
    const thrown = await thrownBy(() =>
      webClientFor(fake, { timeout: 50 }).chat.postMessage(post("slow")),
    );
    expect(thrown.code).toBe("slack_webapi_request_error");
    expect(texts()).toEqual(["slow"]);
  });
});

describe("lost_response", () => {
  test("the message is posted but the client sees a network failure", async () => {
    fake.failNext("chat.postMessage", { kind: "lost_response" });
    const thrown = await thrownBy(() => webClientFor(fake).chat.postMessage(post("did it send?")));
    expect(thrown.code).toBe("slack_webapi_request_error");
    expect(texts()).toEqual(["did it send?"]);
    expect(fake.callsTo("chat.postMessage")[0]).toMatchObject({
      httpStatus: null,
      response: { ok: true },
    });
  });

  test("HAZARD: the SDK's retry then posts the same message twice", async () => {
    fake.failNext("chat.postMessage", { kind: "lost_response" });
    const result = await webClientFor(fake, { retryConfig: oneQuickRetry }).chat.postMessage(
      post("hello once"),
    );
    expect(result.ok).toBe(true);
    // pup must guard against this (idempotency on its side): Slack keeps both.
    expect(texts()).toEqual(["hello once", "hello once"]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
  });
});

describe("slack_error and scoping", () => {
  test("slack_error answers ok:false with the given error and posts nothing", async () => {
    fake.failNext("chat.postMessage", { kind: "slack_error", error: "fatal_error" });
    const thrown = await thrownBy(() => webClientFor(fake).chat.postMessage(post("x")));
    expect(thrown.code).toBe("slack_webapi_platform_error");
    expect(thrown.data).toMatchObject({ ok: false, error: "fatal_error" });
    expect(texts()).toEqual([]);
  });

  test("a fault hits only its method, exactly as many times as asked", async () => {
    const slack = webClientFor(fake);
    fake.failNext("chat.postMessage", { kind: "slack_error", error: "ratelimited" }, 2);
    expect((await slack.auth.test()).ok).toBe(true);
    await thrownBy(() => slack.chat.postMessage(post("1")));
    await thrownBy(() => slack.chat.postMessage(post("2")));
    expect((await slack.chat.postMessage(post("3"))).ok).toBe(true);
    expect(texts()).toEqual(["3"]);
  });

  test('"*" plans a fault for whichever method comes next', async () => {
    fake.failNext("*", { kind: "server_error" });
    const thrown = await thrownBy(() => webClientFor(fake).users.info({ user: "U0FAKEBOT1" }));
    expect(thrown.statusCode).toBe(500);
    expect((await webClientFor(fake).users.info({ user: "U0FAKEBOT1" })).ok).toBe(true);
  });
});

describe("reset", () => {
  test("forgets planned faults along with calls and activity", async () => {
    await webClientFor(fake).chat.postMessage(post("before"));
    fake.failNext("auth.test", { kind: "slack_error", error: "fatal_error" });
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(texts()).toEqual([]);
    expect((await webClientFor(fake).auth.test()).ok).toBe(true);
  });
});
