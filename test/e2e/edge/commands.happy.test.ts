/**
 * `POST /slack/commands` in real workerd: `/pup …` is acknowledged at once (core answers later
 * through response_url), Slack's ssl_check probe is answered and not forwarded, and a user who
 * floods gets pup's "slow down" instead of a forwarded command.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SLOW_DOWN_TEXT } from "../../../edge/src/routes/replies";
import { pupMoodCommand, sslCheck } from "../../fixtures/slack/commands";
import { TEAM_ID } from "../../fixtures/slack/workspace";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

let routes: RoutesUnderTest;
beforeAll(async () => {
  routes = await startRoutes({ rateLimits: { user: { limit: 1, leaseSize: 2 } } });
});
afterAll(() => routes.stop());

describe("commands, happy path (workerd)", () => {
  test("/pup mood is acknowledged with an empty 200 after core accepted it", async () => {
    const response = await routes.sendForm("/slack/commands", pupMoodCommand);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(routes.core.deliveries.map((delivery) => delivery.payload)).toMatchObject([
      {
        kind: "command",
        id: `command:${TEAM_ID}:${pupMoodCommand.trigger_id}`,
        teamId: TEAM_ID,
        payload: pupMoodCommand,
      },
    ]);
  });

  test("Slack's ssl_check probe gets 200 and never reaches core", async () => {
    const response = await routes.sendForm("/slack/commands", sslCheck);
    expect(response.status).toBe(200);
    expect(routes.core.deliveries).toHaveLength(1);
  });

  test("over the per-user limit the sender is asked, in pup's voice, to slow down", async () => {
    const second = { ...pupMoodCommand, trigger_id: "398738663015.47445629121.second" };
    const third = { ...pupMoodCommand, trigger_id: "398738663015.47445629121.third" };
    expect((await routes.sendForm("/slack/commands", second)).status).toBe(200);
    const limited = await routes.sendForm("/slack/commands", third);
    expect(limited.status).toBe(200);
    expect(await limited.json()).toEqual({ response_type: "ephemeral", text: SLOW_DOWN_TEXT });
    expect(routes.core.deliveries).toHaveLength(2);
    expect(await routes.counters()).toMatchObject({ rate_limited: 1, forwarded: 2 });
  });
});
