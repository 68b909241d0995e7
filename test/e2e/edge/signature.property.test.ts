/**
 * Property test of the edge's front door: valid Slack deliveries (events, slash commands,
 * interactions) are spoiled one way at a time (a body byte, a hex digit, the `v0=` prefix, a
 * missing header, a timestamp 301 s or more away either way, a malformed timestamp, the wrong or
 * the empty secret, `ssl_check=1` smuggled in) and must ALL be refused with 401 and never
 * forwarded, while every unspoiled delivery is acknowledged and forwarded exactly once.
 *
 * Where it runs: one request through real workerd over loopback HTTP takes ~3 ms here, so
 * 10,000 would cost ~35 s, more than this suite may spend; the 10,000 mutated requests (plus
 * 1,000 valid ones) therefore run through the same app in Bun (`app.request`, the exact code the
 * Worker bundles, with a recording forwarder; ~3 s), and 300 mutated plus 100 valid requests run
 * through the bundled Worker in real workerd with a fake core checking what arrives (~3 s). Seeded (FC_SEED overrides the default) so a failure reproduces; a
 * failure prints the seed and the shrunk counterexample.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { createApp } from "../../../edge/src/app";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { type FakeCore, startFakeCore } from "./fake-core";
import { mutateRequest, type SignatureMutation, signatureMutation } from "./signature-mutations";
import {
  type DeliverySpec,
  deliverySpec,
  type SlackHttpRequest,
  signedDelivery,
  slackSignature,
} from "./signed-request-arbitraries";
import { TEST_SLACK_SIGNING_SECRET as SECRET } from "./slack-requests";
import { type EdgeUnderTest, startEdge, TEST_CORE_SHARED_SECRET } from "./workerd";

const SEED = Number(process.env.FC_SEED ?? 3_031_337);
const MUTATED_IN_BUN = 10_000;
const VALID_IN_BUN = 1_000;
const MUTATED_IN_WORKERD = 300;
const VALID_IN_WORKERD = 100;
const REFUSAL = { error: "invalid_request" };

const nowSeconds = () => Math.floor(Date.now() / 1000);
const init = (request: SlackHttpRequest): RequestInit => ({
  method: "POST",
  headers: request.headers,
  body: request.body,
});
/** How many forwarded payloads carry this delivery's nonce. */
const copiesOf = (forwarded: readonly unknown[], nonce: string) =>
  forwarded.filter((payload) => JSON.stringify(payload).includes(nonce)).length;

describe("signature property, 10,000 mutated requests through the edge app in Bun", () => {
  const forwarded: ForwardedPayload[] = [];
  const app = createApp({
    forwarderFor: () => ({
      forward: async (payload) => {
        forwarded.push(payload);
        return "accepted";
      },
    }),
    log: () => {},
  });
  const env = {
    SLACK_SIGNING_SECRET: SECRET,
    CORE_URL: "http://127.0.0.1:9",
    CORE_SHARED_SECRET: TEST_CORE_SHARED_SECRET,
  };
  const send = (request: SlackHttpRequest, bindings: Record<string, string> = env) =>
    app.request(request.path, init(request), bindings);

  test("every mutated request is refused with 401 and nothing is forwarded", async () => {
    const property = fc.asyncProperty(
      deliverySpec,
      signatureMutation,
      async (spec: Omit<DeliverySpec, "nonce">, mutation: SignatureMutation) => {
        const now = nowSeconds();
        const before = forwarded.length;
        const bad = mutateRequest(signedDelivery(spec, SECRET, now), mutation, SECRET, now);
        const response = await send(bad);
        expect({ status: response.status, forwarded: forwarded.length - before }).toEqual({
          status: 401,
          forwarded: 0,
        });
        expect(await response.json()).toEqual(REFUSAL);
      },
    );
    await fc.assert(property, { numRuns: MUTATED_IN_BUN, seed: SEED });
    expect(forwarded).toHaveLength(0);
  }, 60_000);

  test("every valid request is acknowledged and forwarded exactly once", async () => {
    const property = fc.asyncProperty(deliverySpec, async (spec) => {
      const before = forwarded.length;
      const valid = signedDelivery(spec, SECRET, nowSeconds());
      const response = await send(valid);
      expect(response.status).toBe(200);
      expect(copiesOf(forwarded.slice(before), valid.nonce)).toBe(1);
      expect(forwarded.length - before).toBe(1);
    });
    await fc.assert(property, { numRuns: VALID_IN_BUN, seed: SEED });
    expect(forwarded).toHaveLength(VALID_IN_BUN);
  }, 20_000);

  test("a signed ssl_check probe gets 200 and is never forwarded", async () => {
    const before = forwarded.length;
    const property = fc.asyncProperty(fc.string({ maxLength: 40 }), async (token) => {
      const body = new TextEncoder().encode(
        new URLSearchParams({ ssl_check: "1", token }).toString(),
      );
      const timestamp = String(nowSeconds());
      const response = await send({
        path: "/slack/commands",
        body,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": timestamp,
          "x-slack-signature": slackSignature(SECRET, timestamp, body),
        },
      });
      expect(response.status).toBe(200);
    });
    await fc.assert(property, { numRuns: 200, seed: SEED });
    expect(forwarded).toHaveLength(before);
  });

  test("an edge whose signing secret is empty accepts nothing, even empty-secret signatures", async () => {
    const before = forwarded.length;
    const property = fc.asyncProperty(deliverySpec, async (spec) => {
      const response = await send(signedDelivery(spec, "", nowSeconds()), {
        ...env,
        SLACK_SIGNING_SECRET: "",
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
    });
    await fc.assert(property, { numRuns: 200, seed: SEED });
    expect(forwarded).toHaveLength(before);
  });
});

describe("signature property in real workerd, with a fake core counting what arrives", () => {
  let core: FakeCore;
  let edge: EdgeUnderTest;
  beforeAll(async () => {
    core = await startFakeCore({ secret: TEST_CORE_SHARED_SECRET });
    edge = await startEdge({ coreUrl: core.url });
  });
  afterAll(async () => {
    await edge?.dispose();
    await core?.stop();
  });
  const send = async (request: SlackHttpRequest) => {
    const response = await edge.fetch(request.path, init(request));
    return { status: response.status, body: await response.text() };
  };

  test(
    `${MUTATED_IN_WORKERD} mutated requests: 401, nothing reaches core`,
    async () => {
      const property = fc.asyncProperty(deliverySpec, signatureMutation, async (spec, mutation) => {
        const now = nowSeconds();
        const response = await send(
          mutateRequest(signedDelivery(spec, SECRET, now), mutation, SECRET, now),
        );
        expect(response.status).toBe(401);
        expect(JSON.parse(response.body)).toEqual(REFUSAL);
      });
      await fc.assert(property, { numRuns: MUTATED_IN_WORKERD, seed: SEED });
      // Nothing may arrive late either (e.g. through the fallback queue).
      await Bun.sleep(1_000);
      expect(core.deliveries).toHaveLength(0);
      expect(core.rejected).toHaveLength(0);
    },
    { timeout: 60_000 },
  );

  test(
    `${VALID_IN_WORKERD} valid requests: acknowledged, each accepted by core exactly once`,
    async () => {
      const property = fc.asyncProperty(deliverySpec, async (spec) => {
        const before = core.deliveries.length;
        const valid = signedDelivery(spec, SECRET, nowSeconds());
        const response = await send(valid);
        expect(response.status).toBe(200);
        expect(copiesOf(core.deliveries.slice(before), valid.nonce)).toBe(1);
        expect(core.deliveries.length - before).toBe(1);
      });
      await fc.assert(property, { numRuns: VALID_IN_WORKERD, seed: SEED });
      await Bun.sleep(1_000);
      expect(core.deliveries).toHaveLength(VALID_IN_WORKERD);
      expect(core.acceptedIds().size).toBe(VALID_IN_WORKERD);
      expect(core.rejected).toHaveLength(0);
    },
    { timeout: 60_000 },
  );
});
