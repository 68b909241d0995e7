/**
 * What the App Home and button tests (issue 16) send pup and read back, over the pipeline
 * harness: signed forwards straight to core (as the edge sends them) of `/pup` commands, button
 * presses (`block_actions`, from an ephemeral answer or from the App Home) and `app_home_opened`,
 * and the views and `response_url` answers the local Slack recorded.
 */
import { expect } from "bun:test";
import { signCoreRequest } from "../../../protocol/core-signature";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { TEST_CORE_SHARED_SECRET } from "../edge/workerd";
import {
  ALICE_DM,
  forwardToCore,
  type Pipeline,
  PUP,
  said,
  settle,
  TEAM,
  waitFor,
} from "./harness";

type Json = Record<string, unknown>;

/** POSTs one signed forward of `kind` to core; a second call with the same id is a redelivery. */
export async function forward(
  pipeline: Pipeline,
  kind: "command" | "interaction",
  id: string,
  payload: Json,
): Promise<number> {
  const body = JSON.stringify({
    version: 1,
    kind,
    id,
    teamId: TEAM,
    receivedAt: new Date().toISOString(),
    retry: { num: 0, reason: null },
    payload,
  } satisfies ForwardedPayload);
  const response = await fetch(`${pipeline.coreUrl}/internal/slack`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(await signCoreRequest(TEST_CORE_SHARED_SECRET, body, Date.now() / 1000)),
    },
    body,
  });
  await response.arrayBuffer();
  // 202: accepted; 200: a redelivery of an id core already has.
  expect([200, 202]).toContain(response.status);
  return response.status;
}

/** What pup POSTed to one response_url, oldest first. */
export function answersAt(pipeline: Pipeline, responseUrl: string): Json[] {
  const path = new URL(responseUrl).pathname;
  return pipeline.slack.responses.filter((r) => r.path === path).map((r) => r.body);
}

/** `/pup <text>` from `user` in `channel`; waits for its answer and returns it. */
export async function command(
  pipeline: Pipeline,
  user: string,
  channel: string,
  text: string,
): Promise<Json> {
  const responseUrl = pipeline.slack.responseUrl();
  const triggerId = `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abcdef`;
  await forward(pipeline, "command", `command:${TEAM}:${triggerId}`, {
    token: "unused",
    team_id: TEAM,
    team_domain: "pup-test",
    channel_id: channel,
    channel_name: "somewhere",
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/pup",
    text,
    api_app_id: "A0FAKEAPP1",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: triggerId,
  });
  await waitFor(() => answersAt(pipeline, responseUrl).length > 0, `the answer to /pup ${text}`);
  return answersAt(pipeline, responseUrl)[0] as Json;
}

/** Where a button was pressed: in pup's ephemeral answer in a channel, or in the App Home. */
export type Surface = { channel: string } | { home: true; page?: number };

export interface Press {
  user: string;
  actionId: string;
  value: string;
  surface: Surface;
  /** Repeats a delivery (same trigger id: the same forward id). */
  triggerId?: string;
}

/** A press as Slack sends it; returns its trigger id and the response_url it carried (if any). */
export async function press(
  pipeline: Pipeline,
  click: Press,
): Promise<{ triggerId: string; responseUrl: string | undefined; status: number }> {
  const triggerId = click.triggerId ?? `${Date.now()}.${Math.floor(Math.random() * 1e9)}.fedcba`;
  const now = (Date.now() / 1000).toFixed(6);
  const inHome = "home" in click.surface;
  const responseUrl = inHome ? undefined : pipeline.slack.responseUrl();
  const where: Json =
    "home" in click.surface
      ? {
          container: { type: "view", view_id: "V0HOME0001" },
          view: {
            id: "V0HOME0001",
            type: "home",
            private_metadata: String(click.surface.page ?? 0),
            hash: "1.fakehash",
          },
        }
      : {
          container: {
            type: "message",
            message_ts: now,
            channel_id: click.surface.channel,
            is_ephemeral: true,
          },
          channel: { id: click.surface.channel, name: "somewhere" },
          response_url: responseUrl,
        };
  const status = await forward(pipeline, "interaction", `block_actions:${TEAM}:${triggerId}`, {
    type: "block_actions",
    user: { id: click.user, username: click.user.toLowerCase(), team_id: TEAM },
    api_app_id: "A0FAKEAPP1",
    token: "unused",
    trigger_id: triggerId,
    team: { id: TEAM, domain: "pup-test" },
    enterprise: null,
    is_enterprise_install: false,
    ...where,
    actions: [
      {
        type: "button",
        action_id: click.actionId,
        block_id: "b1",
        value: click.value,
        text: { type: "plain_text", text: "x" },
        action_ts: now,
      },
    ],
  });
  return { triggerId, responseUrl, status };
}

/** How many App Home views pup has published for `user`. */
export function publishes(pipeline: Pipeline, user: string): number {
  return pipeline.slack.callsTo("views.publish").filter((call) => call.args.user_id === user)
    .length;
}

/** `user`'s App Home as last published. */
export function homeOf(pipeline: Pipeline, user: string): { blocks: Json[]; metadata: string } {
  const view = pipeline.slack.workspace.views.get(user) as Json | undefined;
  if (!view) throw new Error(`no App Home published for ${user}`);
  return { blocks: view.blocks as Json[], metadata: String(view.private_metadata) };
}

/** Waits until pup has published `user`'s home more than `before` times; returns it. */
export async function nextHome(pipeline: Pipeline, user: string, before: number) {
  await waitFor(() => publishes(pipeline, user) > before, `a new App Home for ${user}`);
  return homeOf(pipeline, user);
}

/** `user` opens pup's App Home (`app_home_opened`); returns the published view. */
export async function openHome(pipeline: Pipeline, user: string) {
  const before = publishes(pipeline, user);
  const envelope = {
    token: "unused",
    team_id: TEAM,
    api_app_id: "A0FAKEAPP1",
    event: { type: "app_home_opened", user, channel: ALICE_DM, tab: "home" },
    type: "event_callback",
    event_id: `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: PUP, is_bot: true, is_enterprise_install: false }],
  };
  expect([200, 202]).toContain(await forwardToCore(pipeline, envelope));
  return nextHome(pipeline, user, before);
}

/** Sections with a button: their text and the button (the items of a list). */
export function itemsOf(blocks: readonly Json[], actionId: string) {
  return blocks.flatMap((block) => {
    const accessory = block.accessory as Json | undefined;
    if (accessory?.action_id !== actionId) return [];
    return [{ text: String((block.text as Json).text), value: String(accessory.value) }];
  });
}

/** The buttons with `actionId` anywhere in `blocks`. */
export function buttonsOf(blocks: readonly Json[], actionId: string): Json[] {
  return blocks.flatMap((block) =>
    [...((block.elements as Json[] | undefined) ?? []), block.accessory as Json | undefined].filter(
      (element): element is Json => element?.action_id === actionId,
    ),
  );
}

/** People say things (each delivered to core as Slack would); waits until all are stored. */
export async function sayAll(
  pipeline: Pipeline,
  lines: readonly { user: string; channel: string; text: string }[],
): Promise<{ channel: string; ts: string; text: string }[]> {
  const said_ = [];
  for (const line of lines) {
    const message = said(pipeline, line.text, {
      user: line.user,
      channel: line.channel,
      channelType: line.channel.startsWith("D") ? "im" : "channel",
    });
    expect([200, 202]).toContain(await forwardToCore(pipeline, message.envelope));
    said_.push({ channel: line.channel, ts: message.ts, text: line.text });
  }
  await settle(pipeline);
  return said_;
}
