/**
 * `POST /slack/commands` in real workerd, attacked or fed junk: unsigned, wrongly signed and
 * stale commands are 401, an `ssl_check` dressed-up command is judged by what it is, broken
 * forms are 400, and core sees only the one genuine command.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { commandWithSslCheck, pupMoodCommand } from "../../fixtures/slack/commands";
import { signedFormHeaders, slackSignatureHeaders } from "./slack-requests";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const body = new URLSearchParams(pupMoodCommand).toString();

let routes: RoutesUnderTest;
beforeAll(async () => {
  routes = await startRoutes();
});
afterAll(() => routes.stop());

const post = (payload: string, headers: Record<string, string>) =>
  routes.edge.fetch("/slack/commands", { method: "POST", body: payload, headers });

describe("commands, security (workerd)", () => {
  test("unsigned, wrongly signed and stale commands are 401 and not forwarded", async () => {
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      FORM,
      { ...FORM, ...(await slackSignatureHeaders(body, { secret: "guessed-secret" })) },
      { ...FORM, ...(await slackSignatureHeaders(body, { timestamp: now - 301 })) },
      { ...FORM, ...(await slackSignatureHeaders(body, { timestamp: now + 301 })) },
    ];
    for (const headers of attempts) {
      const response = await post(body, headers);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('{"error":"invalid_request"}');
    }
    expect(routes.core.deliveries).toHaveLength(0);
  });

  test("ssl_check next to command fields is a command, forwarded as one", async () => {
    const response = await routes.sendForm("/slack/commands", commandWithSslCheck);
    expect(response.status).toBe(200);
    expect(routes.core.deliveries.map((delivery) => delivery.payload.kind)).toEqual(["command"]);
  });

  test("broken forms are 400: missing fields, repeated fields, ssl_check with junk", async () => {
    const { user_id: _missing, ...noUser } = pupMoodCommand;
    const bodies = [
      new URLSearchParams(noUser).toString(),
      `${body}&user_id=U0MALLORY1`,
      "ssl_check=1&channel_id=C1",
    ];
    for (const form of bodies) {
      const response = await post(form, await signedFormHeaders(form));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "malformed_body" });
    }
    expect(routes.core.deliveries).toHaveLength(1);
  });
});
