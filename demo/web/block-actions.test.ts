/**
 * Buttons on the demo page: a press becomes the signed `block_actions` interaction Slack would
 * send (only for a button pup really sent, where the presser can see it), and the answer through
 * its `response_url` with `replace_original` takes the place of the message the button was in.
 * Opening the Home tab sends `app_home_opened`.
 */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { verifySlackSignature } from "../../edge/src/middleware/slack-signature/verify";
import { interactionSchema } from "../../protocol/slack";
import { webClientFor } from "../../test/fakes/slack/web-client";
import { DEMO_IDENTITY, startDemoWeb } from "./index";

const SIGNING_SECRET = "demo-buttons-test-signing-secret";
const BOT_TOKEN = "xoxb-demo-buttons-test";
const { users, channels, dms, botUserId } = DEMO_IDENTITY;

interface Received {
  path: string;
  contentType: string;
  body: string;
  signatureOk: boolean;
}
const received: Received[] = [];

const web = startDemoWeb({
  port: 0,
  signingSecret: SIGNING_SECRET,
  botToken: BOT_TOKEN,
  async edge(request) {
    const body = await request.text();
    const check = await verifySlackSignature({
      secret: SIGNING_SECRET,
      timestamp: request.headers.get("x-slack-request-timestamp"),
      signature: request.headers.get("x-slack-signature"),
      body,
      nowSeconds: Date.now() / 1000,
    });
    received.push({
      path: new URL(request.url).pathname,
      contentType: request.headers.get("content-type") ?? "",
      body,
      signatureOk: check.ok,
    });
    return new Response(null, { status: 200 });
  },
});
afterAll(() => web.stop());
beforeEach(() => {
  received.length = 0;
});

const pup = () => webClientFor({ url: web.apiUrl, token: BOT_TOKEN });

async function ui(path: string, body: unknown) {
  const response = await fetch(new URL(`ui/${path}`, web.url), {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-pup-demo-token": web.pageToken },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Ephemeral {
  channel: string;
  user: string;
  message: { ts: string; text: string; blocks?: unknown[] };
}

async function snapshot() {
  const response = await fetch(new URL("ui/state", web.url), {
    headers: { "x-pup-demo-token": web.pageToken },
  });
  return (await response.json()) as {
    ephemerals: Ephemeral[];
    messages: Record<string, { ts: string; text: string; blocks?: unknown[] }[]>;
  };
}

/** The interaction payloads the edge received (form field `payload`). */
function interactions(): Record<string, unknown>[] {
  return received
    .filter((r) => r.path === "/slack/interactions")
    .map((r) => JSON.parse(new URLSearchParams(r.body).get("payload") ?? "{}"));
}

/** Where `payload` fails the edge's interaction schema (protocol/slack/interactions.ts). */
function schemaProblems(payload: unknown): string[] {
  const issues = v.safeParse(interactionSchema, payload).issues ?? [];
  return issues.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`);
}

const confirmBlocks = [
  { type: "section", text: { type: "mrkdwn", text: "*Forget everything about you?*" } },
  {
    type: "actions",
    elements: [
      {
        type: "button",
        text: { type: "plain_text", text: "Forget everything" },
        action_id: "forget_me_confirm",
        value: "nonce-1",
        style: "danger",
      },
      {
        type: "button",
        text: { type: "plain_text", text: "Cancel" },
        action_id: "forget_me_cancel",
        value: "nonce-1",
      },
    ],
  },
];

describe("a button in an ephemeral answer", () => {
  test("is sent as Slack's block_actions, and replace_original replaces the ephemeral", async () => {
    const posted = await pup().chat.postEphemeral({
      channel: channels.general.id,
      user: users.alice.id,
      text: "Forget everything about you?",
      blocks: confirmBlocks,
    });
    const ts = String(posted.message_ts);
    const press = await ui("action", {
      user: users.alice.id,
      action_id: "forget_me_confirm",
      value: "nonce-1",
      container: { type: "message", channel: channels.general.id, ts },
    });
    expect(press).toMatchObject({ status: 200, body: { ok: true } });
    expect(received.map((r) => [r.path, r.contentType, r.signatureOk])).toEqual([
      ["/slack/interactions", "application/x-www-form-urlencoded", true],
    ]);
    const [payload] = interactions();
    // What the edge checks before forwarding holds (checked first: toMatchObject below writes
    // its asymmetric matchers into the object it matches, in this Bun).
    expect(schemaProblems(payload)).toEqual([]);
    expect(payload).toMatchObject({
      type: "block_actions",
      user: { id: users.alice.id, username: "alice", team_id: DEMO_IDENTITY.teamId },
      team: { id: DEMO_IDENTITY.teamId, domain: DEMO_IDENTITY.domain },
      api_app_id: DEMO_IDENTITY.appId,
      container: {
        type: "message",
        message_ts: ts,
        channel_id: channels.general.id,
        is_ephemeral: true,
      },
      channel: { id: channels.general.id, name: "general" },
      actions: [
        {
          type: "button",
          action_id: "forget_me_confirm",
          value: "nonce-1",
          block_id: expect.any(String),
          style: "danger",
          text: { type: "plain_text", text: "Forget everything" },
        },
      ],
    });
    // An ephemeral message is not in the payload (Slack leaves it out too).
    expect(payload?.message).toBeUndefined();
    expect(String(payload?.trigger_id)).toMatch(/^\d+\.\w+$/);
    const responseUrl = String(payload?.response_url);
    expect(responseUrl).toStartWith(`${web.url}ui/respond/`);

    const answer = await fetch(responseUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "Done: I forgot 3 messages", replace_original: true }),
    });
    expect(answer.status).toBe(200);
    const alices = (await snapshot()).ephemerals.filter((e) => e.user === users.alice.id);
    const atTs = alices.filter((e) => e.message.ts === ts);
    expect(atTs).toHaveLength(1);
    expect(atTs[0]?.message.text).toBe("Done: I forgot 3 messages");
    // The buttons went with the question: they cannot be pressed again.
    expect(atTs[0]?.message.blocks).toBeUndefined();
    expect(alices.some((e) => e.message.text.startsWith("Forget everything"))).toBe(false);
  });

  test("an answer without replace_original is a new ephemeral, the question stays", async () => {
    const posted = await pup().chat.postEphemeral({
      channel: dms.bob,
      user: users.bob.id,
      text: "Forget everything about you?",
      blocks: confirmBlocks,
    });
    const ts = String(posted.message_ts);
    await ui("action", {
      user: users.bob.id,
      action_id: "forget_me_cancel",
      value: "nonce-1",
      container: { type: "message", channel: dms.bob, ts },
    });
    const [payload] = interactions();
    expect(payload?.channel).toEqual({ id: dms.bob, name: "directmessage" });
    await fetch(String(payload?.response_url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "Nothing was forgotten." }),
    });
    const bobs = (await snapshot()).ephemerals.filter((e) => e.user === users.bob.id);
    expect(bobs.map((e) => e.message.text)).toEqual([
      "Forget everything about you?",
      "Nothing was forgotten.",
    ]);
  });

  test("only buttons pup sent, and only by the person who sees them, reach the edge", async () => {
    const posted = await pup().chat.postEphemeral({
      channel: channels.random.id,
      user: users.alice.id,
      text: "Forget everything about you?",
      blocks: confirmBlocks,
    });
    const container = { type: "message", channel: channels.random.id, ts: posted.message_ts };
    const madeUp = await ui("action", {
      user: users.alice.id,
      action_id: "forget_me_confirm",
      value: "another-value",
      container,
    });
    expect(madeUp).toEqual({ status: 400, body: { ok: false, error: "action_not_found" } });
    // Bob cannot see Alice's ephemeral message, so he cannot press its buttons.
    const notHis = await ui("action", {
      user: users.bob.id,
      action_id: "forget_me_confirm",
      value: "nonce-1",
      container,
    });
    expect(notHis).toEqual({ status: 400, body: { ok: false, error: "message_not_found" } });
    const notInIt = await ui("action", {
      user: users.bob.id,
      action_id: "forget_me_confirm",
      value: "nonce-1",
      container: { type: "message", channel: dms.alice, ts: posted.message_ts },
    });
    expect(notInIt.body.error).toBe("not_in_channel");
    expect(received).toEqual([]);
  });
});

describe("a button in a message", () => {
  test("carries the message; replace_original changes the message in place", async () => {
    const posted = await pup().chat.postMessage({
      channel: channels.general.id,
      text: "Pick one",
      blocks: [confirmBlocks[1]!],
    });
    await ui("action", {
      user: users.bob.id,
      action_id: "forget_me_cancel",
      value: "nonce-1",
      container: { type: "message", channel: channels.general.id, ts: posted.ts },
    });
    const [payload] = interactions();
    expect(payload).toMatchObject({
      container: { type: "message", message_ts: posted.ts, is_ephemeral: false },
      message: { ts: posted.ts, text: "Pick one", user: botUserId },
    });
    await fetch(String(payload?.response_url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "Picked", replace_original: true }),
    });
    const general = (await snapshot()).messages[channels.general.id] ?? [];
    const message = general.find((m) => m.ts === posted.ts);
    expect(message?.text).toBe("Picked");
    expect(message?.blocks).toBeUndefined();
  });
});

describe("the Home tab", () => {
  test("opening it sends app_home_opened; its buttons come back from the view", async () => {
    const opened = await ui("home", { user: users.alice.id });
    expect(opened.body).toMatchObject({ ok: true });
    expect(received).toHaveLength(1);
    expect(received[0]?.signatureOk).toBe(true);
    expect(JSON.parse(received[0]!.body).event).toMatchObject({
      type: "app_home_opened",
      user: users.alice.id,
      channel: dms.alice,
      tab: "home",
    });

    const home = await pup().views.publish({
      user_id: users.alice.id,
      view: {
        type: "home",
        private_metadata: "2",
        blocks: [
          {
            type: "section",
            text: { type: "mrkdwn", text: ">my tea is genmaicha" },
            accessory: {
              type: "button",
              text: { type: "plain_text", text: "Forget" },
              action_id: "forget_message",
              value: `${channels.general.id}:1700000000.000100`,
            },
          },
        ],
      },
    });
    received.length = 0;
    await ui("action", {
      user: users.alice.id,
      action_id: "forget_message",
      value: `${channels.general.id}:1700000000.000100`,
      container: { type: "view" },
    });
    const [payload] = interactions();
    expect(schemaProblems(payload)).toEqual([]);
    expect(payload).toMatchObject({
      type: "block_actions",
      container: { type: "view", view_id: home.view?.id },
      view: { id: home.view?.id, type: "home", private_metadata: "2" },
      actions: [{ action_id: "forget_message", block_id: expect.any(String) }],
    });
    // The Home has no response_url and no channel, as in Slack.
    expect(payload?.response_url).toBeUndefined();
    expect(payload?.channel).toBeUndefined();

    // Bob has no Home yet: there is nothing of his to press.
    const bobs = await ui("action", {
      user: users.bob.id,
      action_id: "forget_message",
      value: `${channels.general.id}:1700000000.000100`,
      container: { type: "view" },
    });
    expect(bobs.body.error).toBe("view_not_found");
  });
});

describe("the page's Block Kit", () => {
  test("serves blocks.js and blocks.css; the HTML has the confirmation dialog's test ids", async () => {
    const script = await fetch(new URL("blocks.js", web.url));
    expect(script.headers.get("content-type")).toStartWith("text/javascript");
    const code = await script.text();
    for (const marker of [
      'button.dataset.testid = "block-button"',
      "button.dataset.actionId = element.action_id",
    ]) {
      expect(code).toContain(marker);
    }
    const styles = await fetch(new URL("blocks.css", web.url));
    expect(styles.headers.get("content-type")).toStartWith("text/css");
    const html = await (await fetch(web.url)).text();
    for (const id of ["confirm-dialog", "confirm-accept", "confirm-deny"]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('href="/blocks.css"');
  });
});
