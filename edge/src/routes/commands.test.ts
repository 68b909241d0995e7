import { describe, expect, test } from "bun:test";
import {
  appUnderTest,
  countingLimiter,
  TEST_BINDINGS,
} from "../../../test/fixtures/edge/app-under-test";
import {
  commandWithSslCheck,
  pupMoodCommand,
  sslCheck,
} from "../../../test/fixtures/slack/commands";
import { signedForm, signedSlackRequest } from "../../../test/fixtures/slack/signed-request";
import { TEAM_ID } from "../../../test/fixtures/slack/workspace";
import { SLOW_DOWN_TEXT, UNAVAILABLE_TEXT } from "./replies";

describe("POST /slack/commands", () => {
  test("/pup is acknowledged at once and forwarded with its form fields", async () => {
    const { request, forwarder } = appUnderTest();
    const response = await request("/slack/commands", signedForm(pupMoodCommand));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(forwarder.calls.map((call) => call.payload)).toMatchObject([
      {
        kind: "command",
        id: `command:${TEAM_ID}:${pupMoodCommand.trigger_id}`,
        teamId: TEAM_ID,
        payload: pupMoodCommand,
      },
    ]);
  });

  test("Slack's ssl_check probe gets 200 and is never forwarded", async () => {
    const { request, forwarder } = appUnderTest();
    const response = await request("/slack/commands", signedForm(sslCheck));
    expect(response.status).toBe(200);
    expect(forwarder.calls).toHaveLength(0);
  });

  test("ssl_check cannot smuggle: unsigned is 401, and with other fields it is what it is", async () => {
    const { request, forwarder } = appUnderTest();
    const unsigned = await request("/slack/commands", {
      method: "POST",
      body: new URLSearchParams(commandWithSslCheck).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(unsigned.status).toBe(401);
    expect(forwarder.calls).toHaveLength(0);

    // Signed, with command fields: a command, forwarded as one (not waved through as a probe).
    expect((await request("/slack/commands", signedForm(commandWithSslCheck))).status).toBe(200);
    expect(forwarder.calls.map((call) => call.payload.kind)).toEqual(["command"]);

    // Signed, with junk: neither a probe nor a command.
    const junk = await request("/slack/commands", signedForm({ ...sslCheck, extra: "1" }));
    expect(junk.status).toBe(400);
    expect(forwarder.calls).toHaveLength(1);
  });

  test("missing fields, duplicate fields and empty bodies are 400", async () => {
    const { request, forwarder } = appUnderTest();
    const { trigger_id: _dropped, ...withoutTrigger } = pupMoodCommand;
    const duplicated = `${new URLSearchParams(pupMoodCommand)}&user_id=U0MALLORY1`;
    const bodies = [
      signedForm(withoutTrigger),
      signedSlackRequest(duplicated, { contentType: "application/x-www-form-urlencoded" }),
      signedSlackRequest("", { contentType: "application/x-www-form-urlencoded" }),
    ];
    for (const init of bodies) {
      const response = await request("/slack/commands", init);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "malformed_body" });
    }
    expect(forwarder.calls).toHaveLength(0);
  });

  test("over the rate limit: an ephemeral slow-down in pup's voice, not forwarded", async () => {
    const users = countingLimiter(1);
    const { app, forwarder, logged } = appUnderTest();
    const bindings = {
      ...TEST_BINDINGS,
      USER_RATE_LIMITER: users,
      TEAM_RATE_LIMITER: countingLimiter(99),
    };
    const send = () => app.request("/slack/commands", signedForm(pupMoodCommand), bindings);
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(200);
    expect(await limited.json()).toEqual({ response_type: "ephemeral", text: SLOW_DOWN_TEXT });
    expect(forwarder.calls).toHaveLength(1);
    expect(logged("rate_limited")).toMatchObject([{ scope: "user", teamId: TEAM_ID }]);
  });

  test("a command neither accepted nor queued gets an apology, not an error page", async () => {
    const { request, forwarder } = appUnderTest();
    forwarder.answer = new Error("core and queue both down");
    const response = await request("/slack/commands", signedForm(pupMoodCommand));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_type: "ephemeral", text: UNAVAILABLE_TEXT });
  });
});
