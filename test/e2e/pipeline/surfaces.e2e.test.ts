/**
 * pup's other Slack surfaces end to end through the real edge: `/pup help` answered through
 * response_url, an assistant thread (suggested prompts, status, title, answer), the App Home.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliverEvent, signedFormHeaders } from "../edge/slack-requests";
import {
  ALICE,
  ALICE_DM,
  GENERAL,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  startPipeline,
  TEAM,
  waitFor,
} from "./harness";

let pipeline: Pipeline;
/** Answers POSTed to the local Slack's response_urls (pup posts to no other origin). */
const responses = () => pipeline.slack.responses;

beforeAll(async () => {
  pipeline = await startPipeline({ edge: true });
});

afterAll(async () => {
  await pipeline?.stop();
});

function edge() {
  if (!pipeline.edge) throw new Error("the edge did not start");
  return pipeline.edge;
}

function eventEnvelope(event: Record<string, unknown>) {
  return {
    token: "unused",
    team_id: TEAM,
    api_app_id: "A0FAKEAPP1",
    event,
    type: "event_callback",
    event_id: `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: PUP, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

describe("/pup", () => {
  const command = (text: string) => ({
    token: "unused",
    team_id: TEAM,
    team_domain: "pup-test",
    channel_id: GENERAL,
    channel_name: "general",
    user_id: ALICE,
    user_name: "alice",
    command: "/pup",
    text,
    api_app_id: "A0FAKEAPP1",
    is_enterprise_install: "false",
    response_url: pipeline.slack.responseUrl(),
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abcdef`,
  });

  async function send(text: string) {
    const body = new URLSearchParams(command(text)).toString();
    const response = await edge().fetch("/slack/commands", {
      method: "POST",
      headers: await signedFormHeaders(body),
      body,
    });
    expect(response.status).toBe(200);
    await response.text();
  }

  test("help is answered ephemerally through response_url", async () => {
    const before = responses().length;
    await send("help");
    await waitFor(() => responses().length > before, "the answer at response_url");
    const answer = responses().at(-1)?.body;
    expect(answer?.response_type).toBe("ephemeral");
    expect(String(answer?.text)).toContain("/pup help");
  });

  test("an unknown subcommand says so and lists what exists", async () => {
    const before = responses().length;
    await send("fetch the ball");
    await waitFor(() => responses().length > before, "the answer at response_url");
    expect(String(responses().at(-1)?.body.text)).toContain("I don't know `fetch` yet");
  });
});

describe("assistant threads", () => {
  test("suggested prompts on start; status, title and an answer for a question", async () => {
    const root = pipeline.slack.workspace.postMessage(ALICE_DM, {
      user: PUP,
      text: "Hi! How can I help?",
    });
    const started = eventEnvelope({
      type: "assistant_thread_started",
      assistant_thread: { user_id: ALICE, channel_id: ALICE_DM, thread_ts: root.ts, context: {} },
      event_ts: root.ts,
    });
    expect((await deliverEvent(edge(), started)).status).toBe(200);
    await waitFor(
      () => pipeline.slack.callsTo("assistant.threads.setSuggestedPrompts").length > 0,
      "suggested prompts",
    );
    const prompts = pipeline.slack.callsTo("assistant.threads.setSuggestedPrompts")[0]?.args;
    expect(prompts?.thread_ts).toBe(root.ts);

    pipeline.openai.queueReply("Here to help, woof.");
    const question = said(pipeline, "what do you remember about the offsite?", {
      channel: ALICE_DM,
      channelType: "im",
      threadTs: root.ts,
    });
    expect((await deliverEvent(edge(), question.envelope)).status).toBe(200);
    await waitFor(
      () => pupMessages(pipeline, ALICE_DM).some((m) => m.text === "Here to help, woof."),
      "the answer in the assistant thread",
    );
    const status = pipeline.slack.callsTo("assistant.threads.setStatus")[0]?.args;
    expect(status).toMatchObject({ channel_id: ALICE_DM, thread_ts: root.ts });
    const title = pipeline.slack.callsTo("assistant.threads.setTitle")[0]?.args;
    expect(title?.title).toBe("what do you remember about the offsite?");
  });
});

describe("App Home", () => {
  test("opening it publishes pup's home view", async () => {
    const opened = eventEnvelope({
      type: "app_home_opened",
      user: ALICE,
      channel: ALICE_DM,
      tab: "home",
    });
    expect((await deliverEvent(edge(), opened)).status).toBe(200);
    await waitFor(() => pipeline.slack.workspace.views.has(ALICE), "the published home view");
    expect(JSON.stringify(pipeline.slack.workspace.views.get(ALICE))).toContain("/pup help");
  });
});
