import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { verifySlackSignature } from "../../edge/src/middleware/slack-signature/verify";
import { thrownBy, webClientFor } from "../../test/fakes/slack/web-client";
import { DEMO_IDENTITY, startDemoWeb } from "./index";

const SIGNING_SECRET = "demo-web-test-signing-secret";
const BOT_TOKEN = "xoxb-demo-web-test";
const { users, channels, dms, botUserId } = DEMO_IDENTITY;

/** What the fake edge received: each request with its body, and whether its signature held. */
interface Received {
  path: string;
  contentType: string;
  body: string;
  signatureOk: boolean;
}
const received: Received[] = [];
let edgeAnswer = () => new Response(null, { status: 200 });

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
    return edgeAnswer();
  },
  moodOf: async (channel) => (channel === channels.random.id ? "enthusiastic" : "neutral"),
});
afterAll(() => web.stop());
beforeEach(() => {
  received.length = 0;
  edgeAnswer = () => new Response(null, { status: 200 });
});

const pup = () => webClientFor({ url: web.apiUrl, token: BOT_TOKEN });
/** The header the page's own script sends (demo/web/page-guard.ts). */
const asPage = () => ({ "x-pup-demo-token": web.pageToken });
const events = () => received.map((r) => JSON.parse(r.body).event);

async function ui(path: string, body: unknown) {
  const response = await fetch(new URL(`ui/${path}`, web.url), {
    method: "POST",
    headers: { "Content-Type": "application/json", ...asPage() },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function snapshot() {
  return (await (await fetch(new URL("ui/state", web.url), { headers: asPage() })).json()) as {
    messages: Record<string, { ts: string; text: string; user?: string; thread_ts?: string }[]>;
    ephemerals: { channel: string; user: string; message: { text: string } }[];
  };
}

/** Opens `/events` and resolves with the data events seen once `done` says enough. */
async function followEvents(done: (seen: Record<string, unknown>[]) => boolean) {
  const controller = new AbortController();
  const url = new URL(`events?token=${web.pageToken}`, web.url);
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get("content-type")).toStartWith("text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read(); // ": connected": the subscription is live from here on
  expect(first.value).toContain("connected");
  const seen: Record<string, unknown>[] = [];
  const finished = (async () => {
    let buffer = "";
    while (!done(seen)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      const frames = buffer.split("\n\n");
      buffer = frames.pop() ?? "";
      for (const frame of frames) {
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        if (data) seen.push(JSON.parse(data.slice(6)));
      }
    }
    controller.abort();
    return seen;
  })();
  return { finished };
}

describe("messages typed on the page", () => {
  test("a mention in a public channel: stored, then signed message + app_mention events", async () => {
    const answer = await ui("message", {
      user: users.alice.id,
      channel: channels.general.id,
      text: "@pup my cat is called Miso",
    });
    expect(answer.body).toMatchObject({ ok: true });
    const stored = (await snapshot()).messages[channels.general.id]?.at(-1);
    expect(stored).toMatchObject({ ts: answer.body.ts, user: users.alice.id });
    expect(stored?.text).toBe(`<@${botUserId}> my cat is called Miso`);

    expect(received.map((r) => [r.path, r.contentType, r.signatureOk])).toEqual([
      ["/slack/events", "application/json", true],
      ["/slack/events", "application/json", true],
    ]);
    const envelope = JSON.parse(received[0]!.body);
    expect(envelope).toMatchObject({
      type: "event_callback",
      team_id: DEMO_IDENTITY.teamId,
      api_app_id: DEMO_IDENTITY.appId,
      authorizations: [{ user_id: botUserId, is_bot: true }],
    });
    expect(events()).toEqual([
      expect.objectContaining({ type: "message", channel_type: "channel", ts: stored?.ts }),
      expect.objectContaining({
        type: "app_mention",
        channel: channels.general.id,
        ts: stored?.ts,
      }),
    ]);
    expect(events()[1].channel_type).toBeUndefined();
    const ids = received.map((r) => JSON.parse(r.body).event_id);
    expect(new Set(ids).size).toBe(2);
  });

  test("a thread reply in the private channel is channel_type group with thread_ts", async () => {
    const root = await ui("message", {
      user: users.bob.id,
      channel: channels.secretPlans.id,
      text: "plan",
    });
    received.length = 0;
    await ui("message", {
      user: users.alice.id,
      channel: channels.secretPlans.id,
      text: "no mention here",
      thread_ts: root.body.ts,
    });
    expect(events()).toEqual([
      expect.objectContaining({
        type: "message",
        channel_type: "group",
        thread_ts: root.body.ts,
        parent_user_id: users.bob.id,
      }),
    ]);
  });

  test("a DM to pup sends message.im only, even with a mention", async () => {
    await ui("message", { user: users.bob.id, channel: dms.bob, text: "@pup I like tea" });
    expect(events()).toEqual([
      expect.objectContaining({ type: "message", channel_type: "im", user: users.bob.id }),
    ]);
    expect(received[0]?.signatureOk).toBe(true);
  });

  test("people post only where they are members; nothing reaches the edge otherwise", async () => {
    const answer = await ui("message", { user: users.bob.id, channel: dms.alice, text: "hi" });
    expect(answer).toEqual({ status: 400, body: { ok: false, error: "not_in_channel" } });
    const asPup = await ui("message", { user: botUserId, channel: channels.general.id, text: "x" });
    expect(asPup.body.error).toBe("user_not_found");
    expect(received).toEqual([]);
  });

  test("an edge refusal reaches the page as delivery_failed", async () => {
    edgeAnswer = () => new Response("no", { status: 401 });
    const feed = await followEvents((seen) => seen.some((e) => e.type === "delivery_failed"));
    await ui("message", { user: users.alice.id, channel: dms.alice, text: "hello?" });
    const seen = await feed.finished;
    expect(seen.find((e) => e.type === "delivery_failed")).toMatchObject({
      user: users.alice.id,
      detail: "/slack/events answered 401",
    });
  });
});

describe("slash commands and reactions", () => {
  test("/pup help is a signed form to /slack/commands whose response_url answers ephemerally", async () => {
    const answer = await ui("message", {
      user: users.bob.id,
      channel: channels.random.id,
      text: "/pup help",
    });
    expect(answer.body).toMatchObject({ ok: true, command: "/pup" });
    expect(received).toHaveLength(1);
    const [command] = received;
    expect(command).toMatchObject({
      path: "/slack/commands",
      contentType: "application/x-www-form-urlencoded",
      signatureOk: true,
    });
    const form = Object.fromEntries(new URLSearchParams(command!.body));
    expect(form).toMatchObject({
      command: "/pup",
      text: "help",
      user_id: users.bob.id,
      channel_id: channels.random.id,
      team_id: DEMO_IDENTITY.teamId,
    });
    expect(form.trigger_id).toBeTruthy();
    expect(form.response_url).toStartWith(`${web.url}ui/respond/`);

    const reply = await fetch(form.response_url!, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", text: "Here is what I can do" }),
    });
    expect(reply.status).toBe(200);
    const { ephemerals, messages } = await snapshot();
    expect(ephemerals.at(-1)).toMatchObject({
      channel: channels.random.id,
      user: users.bob.id,
      message: { text: "Here is what I can do" },
    });
    expect(messages[channels.random.id]?.some((m) => m.text.includes("Here is"))).not.toBe(true);
    const forged = await fetch(`${web.url}ui/respond/not-a-real-id`, {
      method: "POST",
      body: "{}",
    });
    expect(forged.status).toBe(404);
  });

  test("a reaction click adds the reaction and sends reaction_added; a second click removes it", async () => {
    const posted = await pup().chat.postMessage({ channel: channels.general.id, text: "woof" });
    const target = {
      user: users.alice.id,
      channel: channels.general.id,
      ts: posted.ts,
      name: "heart",
    };
    await ui("reaction", target);
    await ui("reaction", target);
    expect(events()).toEqual([
      expect.objectContaining({
        type: "reaction_added",
        user: users.alice.id,
        reaction: "heart",
        item: { type: "message", channel: channels.general.id, ts: posted.ts },
        item_user: botUserId,
      }),
      expect.objectContaining({ type: "reaction_removed", reaction: "heart" }),
    ]);
    expect(received.every((r) => r.signatureOk)).toBe(true);
  });
});

describe("the Web API for pup and the live feed", () => {
  test("a message pup posts with the real WebClient reaches /events", async () => {
    const feed = await followEvents((seen) => seen.some((e) => e.type === "message_posted"));
    const posted = await pup().chat.postMessage({
      channel: channels.general.id,
      text: "hello from pup",
    });
    const seen = await feed.finished;
    expect(seen.find((e) => e.type === "message_posted")).toMatchObject({
      channel: channels.general.id,
      message: {
        ts: posted.ts,
        text: "hello from pup",
        user: botUserId,
        bot_id: DEMO_IDENTITY.botId,
      },
    });
  });

  test("a streamed reply is one message whose changes arrive live", async () => {
    const root = await ui("message", { user: users.alice.id, channel: dms.alice, text: "tell me" });
    const feed = await followEvents((seen) =>
      seen.some(
        (e) => (e.message as { streaming_state?: string })?.streaming_state === "completed",
      ),
    );
    const slack = pup();
    const stream = await slack.chat.startStream({
      channel: dms.alice,
      thread_ts: String(root.body.ts),
    });
    await slack.chat.appendStream({ channel: dms.alice, ts: stream.ts!, markdown_text: "Miso " });
    await slack.chat.stopStream({ channel: dms.alice, ts: stream.ts!, markdown_text: "is a cat" });
    const seen = await feed.finished;
    const about = seen.filter((e) => (e.message as { ts?: string })?.ts === stream.ts);
    expect(about.map((e) => e.type)).toEqual([
      "message_posted",
      "message_changed",
      "message_changed",
      "message_changed",
    ]);
    expect(about.at(-1)).toMatchObject({
      message: { text: "Miso is a cat", streaming_state: "completed" },
    });
  });

  test("auth.test names pup in the demo team; a wrong token is invalid_auth", async () => {
    expect(await pup().auth.test()).toMatchObject({
      user_id: botUserId,
      team_id: DEMO_IDENTITY.teamId,
    });
    const thrown = await thrownBy(() =>
      webClientFor({ url: web.apiUrl, token: "xoxb-wrong" }).chat.postMessage({
        channel: channels.general.id,
        text: "intruder",
      }),
    );
    expect(thrown.data).toMatchObject({ ok: false, error: "invalid_auth" });
  });
});

describe("the page", () => {
  test("serves the HTML with the stable test ids, and its script and styles", async () => {
    const html = await (await fetch(web.url)).text();
    for (const id of ["composer", "mood", "user-switch", "thread", "thread-composer"]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    const script = await fetch(new URL("app.js", web.url));
    expect(script.headers.get("content-type")).toStartWith("text/javascript");
    const code = await script.text();
    // The script builds each message, thread button and channel link with these ids.
    for (const marker of [
      'div.dataset.testid = "message"',
      "div.dataset.author = author",
      'data-testid="message-text"',
      'open.dataset.testid = "open-thread"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the script's own source is checked
      "a.dataset.testid = `channel-${c.id}`",
    ]) {
      expect(code).toContain(marker);
    }
    expect((await fetch(new URL("style.css", web.url))).status).toBe(200);
    expect((await fetch(new URL("../package.json", `${web.url}x/`))).status).toBe(404);
  });

  test("the state lists the seeded people and conversations; the mood comes from moodOf", async () => {
    const state = (await (
      await fetch(new URL("ui/state", web.url), { headers: asPage() })
    ).json()) as {
      users: { id: string }[];
      conversations: { id: string; visibility: string }[];
    };
    expect(state.users.map((u) => u.id)).toEqual([botUserId, users.alice.id, users.bob.id]);
    expect(state.conversations.map((c) => [c.id, c.visibility])).toEqual([
      [channels.general.id, "public"],
      [channels.random.id, "public"],
      [channels.secretPlans.id, "private"],
      [dms.alice, "im"],
      [dms.bob, "im"],
    ]);
    const mood = await fetch(new URL(`ui/mood?channel=${channels.random.id}`, web.url), {
      headers: asPage(),
    });
    expect(await mood.json()).toMatchObject({ mood: "enthusiastic" });
  });
});
