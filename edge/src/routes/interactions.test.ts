import { describe, expect, test } from "bun:test";
import {
  appUnderTest,
  countingLimiter,
  TEST_BINDINGS,
} from "../../../test/fixtures/edge/app-under-test";
import * as interactions from "../../../test/fixtures/slack/interactions";
import { signedForm, signedInteraction } from "../../../test/fixtures/slack/signed-request";
import { ALICE, TEAM_ID } from "../../../test/fixtures/slack/workspace";

describe("POST /slack/interactions", () => {
  test("actions, submissions, closings and shortcuts are forwarded with stable ids", async () => {
    const { request, forwarder } = appUnderTest();
    const payloads = [
      interactions.blockActions,
      interactions.viewSubmission,
      interactions.viewClosed,
      interactions.globalShortcut,
    ];
    for (const payload of payloads) {
      const response = await request("/slack/interactions", signedInteraction(payload));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
    }
    expect(forwarder.calls.map((call) => call.payload.id)).toEqual([
      `block_actions:${TEAM_ID}:${interactions.blockActions.trigger_id}`,
      `view_submission:${TEAM_ID}:${interactions.viewSubmission.trigger_id}`,
      `view_closed:${TEAM_ID}:${interactions.viewClosed.view.hash}`,
      `shortcut:${TEAM_ID}:${interactions.globalShortcut.trigger_id}`,
    ]);
    expect(forwarder.calls[0]?.payload).toMatchObject({
      kind: "interaction",
      teamId: TEAM_ID,
      payload: interactions.blockActions,
    });
  });

  test("interaction types pup does not handle are acknowledged and logged", async () => {
    const { request, forwarder, logged } = appUnderTest();
    const init = signedInteraction(interactions.blockSuggestion);
    expect((await request("/slack/interactions", init)).status).toBe(200);
    expect(forwarder.calls).toHaveLength(0);
    expect(logged("slack_interaction_ignored")).toMatchObject([
      { interactionType: "block_suggestion" },
    ]);
  });

  test("no payload field, or one that is not a JSON object, is 400", async () => {
    const { request, forwarder } = appUnderTest();
    const bodies = [
      signedForm({ action: "x" }),
      signedForm({ payload: "{nope" }),
      signedForm({ payload: '"block_actions"' }),
      signedInteraction({ ...interactions.blockActions, actions: [] }),
    ];
    for (const init of bodies) {
      expect((await request("/slack/interactions", init)).status).toBe(400);
    }
    expect(forwarder.calls).toHaveLength(0);
  });

  test("over the workspace limit: acknowledged, counted, not forwarded", async () => {
    const { app, forwarder, logged } = appUnderTest();
    const users = countingLimiter(9);
    const teams = countingLimiter(0);
    const bindings = { ...TEST_BINDINGS, USER_RATE_LIMITER: users, TEAM_RATE_LIMITER: teams };
    const init = signedInteraction(interactions.globalShortcut);
    const response = await app.request("/slack/interactions", init, bindings);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(forwarder.calls).toHaveLength(0);
    expect(users.keys).toEqual([`${TEAM_ID}:${ALICE}`]);
    expect(teams.keys).toEqual([TEAM_ID]);
    expect(logged("rate_limited")).toMatchObject([{ scope: "team" }]);
    const health = (await (await app.request("/healthz", {}, bindings)).json()) as {
      counters: Record<string, number>;
    };
    expect(health.counters.rate_limited).toBe(1);
  });
});
