/**
 * `POST /slack/interactions` in real workerd with bad or unwanted input: unsigned is 401,
 * broken payloads are 400, types pup does not handle are acknowledged and dropped, and core
 * sees none of it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as interactions from "../../fixtures/slack/interactions";
import { signedFormHeaders } from "./slack-requests";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

let routes: RoutesUnderTest;
beforeAll(async () => {
  routes = await startRoutes();
});
afterAll(async () => {
  expect(routes.core.deliveries).toHaveLength(0);
  await routes.stop();
});

describe("interactions, errors (workerd)", () => {
  test("an unsigned interaction is 401", async () => {
    const response = await routes.edge.fetch("/slack/interactions", {
      method: "POST",
      body: new URLSearchParams({ payload: JSON.stringify(interactions.blockActions) }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(401);
  });

  test("no payload, a payload that is not JSON, or a wrong shape is 400", async () => {
    const forms = [
      "actions=1",
      "payload=%7Bnot-json",
      new URLSearchParams({ payload: JSON.stringify({ type: "shortcut" }) }).toString(),
    ];
    for (const form of forms) {
      const response = await routes.edge.fetch("/slack/interactions", {
        method: "POST",
        body: form,
        headers: await signedFormHeaders(form),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "malformed_body" });
    }
  });

  test("types pup does not handle (block_suggestion) are acknowledged and dropped", async () => {
    const response = await routes.sendInteraction(interactions.blockSuggestion);
    expect(response.status).toBe(200);
    expect(await routes.counters()).toMatchObject({ ignored: 1, malformed: 3, rejected: 1 });
  });
});
