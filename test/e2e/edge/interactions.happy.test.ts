/**
 * `POST /slack/interactions` in real workerd: button clicks, modal submissions and closings
 * and shortcuts reach core with stable ids and an empty 200 for Slack.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as interactions from "../../fixtures/slack/interactions";
import { TEAM_ID } from "../../fixtures/slack/workspace";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

let routes: RoutesUnderTest;
beforeAll(async () => {
  routes = await startRoutes();
});
afterAll(() => routes.stop());

describe("interactions, happy path (workerd)", () => {
  test("every forwarded interaction type arrives once, acknowledged with an empty 200", async () => {
    const payloads = [
      interactions.blockActions,
      interactions.viewSubmission,
      interactions.viewClosed,
      interactions.globalShortcut,
    ];
    for (const payload of payloads) {
      const response = await routes.sendInteraction(payload);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
    }
    expect(routes.core.deliveries.map((delivery) => delivery.payload.id)).toEqual([
      `block_actions:${TEAM_ID}:${interactions.blockActions.trigger_id}`,
      `view_submission:${TEAM_ID}:${interactions.viewSubmission.trigger_id}`,
      `view_closed:${TEAM_ID}:${interactions.viewClosed.view.hash}`,
      `shortcut:${TEAM_ID}:${interactions.globalShortcut.trigger_id}`,
    ]);
    expect(routes.core.deliveries[0]?.payload).toMatchObject({
      kind: "interaction",
      teamId: TEAM_ID,
      payload: interactions.blockActions,
    });
  });
});
