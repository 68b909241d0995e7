/**
 * The page's JSON endpoints under `/ui/`: a snapshot of the workspace, posting a message (or a
 * `/pup …` command) as the chosen person, toggling a reaction, opening the Home tab, pressing a
 * button pup sent, the conversation's mood, and the `response_url`s slash commands and button
 * presses answer through. Bodies are checked with valibot; refusals are
 * `{ ok: false, error }` with Slack's error strings, as the page shows them.
 */
import * as v from "valibot";
import type { LocalWorkspace, SlackMessage } from "../local-slack/index";
import { PageActionError, type PageActions } from "./page-actions";

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const ts = v.pipe(v.string(), v.regex(/^\d+\.\d{1,6}$/));

const messageSchema = v.object({
  user: id,
  channel: id,
  text: v.pipe(v.string(), v.maxLength(40_000)),
  thread_ts: v.optional(ts),
});
const reactionSchema = v.object({
  user: id,
  channel: id,
  ts,
  name: v.pipe(id, v.regex(/^:?[\w+-]+:?$/)),
});

const homeSchema = v.object({ user: id });
const actionSchema = v.object({
  user: id,
  action_id: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  value: v.pipe(v.string(), v.maxLength(2000)),
  container: v.variant("type", [
    v.object({ type: v.literal("message"), channel: id, ts }),
    v.object({ type: v.literal("view") }),
  ]),
});

/** Routes one `/ui/…` request. */
export interface UiRoutesOptions {
  workspace: LocalWorkspace;
  actions: PageActions;
  moodOf: (channelId: string) => Promise<string>;
}

/** A `/pup help` typed in a message box: the command and the rest. */
const COMMAND = /^(\/[a-z][\w-]*)(?:\s+([\s\S]*))?$/i;

/** Handles `/ui/…`; `undefined` for paths it does not know. */
export async function handleUi(
  request: Request,
  pathname: string,
  options: UiRoutesOptions,
): Promise<Response | undefined> {
  try {
    return await route(request, pathname, options);
  } catch (error) {
    if (error instanceof PageActionError) return json({ ok: false, error: error.code }, 400);
    if (error instanceof v.ValiError || error instanceof SyntaxError) {
      return json({ ok: false, error: "invalid_arguments" }, 400);
    }
    throw error;
  }
}

async function route(request: Request, pathname: string, options: UiRoutesOptions) {
  const { actions, workspace } = options;
  const post = request.method === "POST";
  if (pathname === "/ui/state" && request.method === "GET") return json(snapshot(workspace));
  if (pathname === "/ui/mood" && request.method === "GET") {
    const channel = new URL(request.url).searchParams.get("channel") ?? "";
    return json({ ok: true, channel, mood: await moodSafely(options, channel) });
  }
  if (pathname === "/ui/message" && post) {
    const input = v.parse(messageSchema, await request.json());
    const typed = { user: input.user, channel: input.channel, text: input.text };
    const thread = input.thread_ts ? { threadTs: input.thread_ts } : {};
    const command = COMMAND.exec(input.text.trim());
    if (command?.[1]) {
      if (command[1].toLowerCase() !== "/pup")
        return json({ ok: false, error: "unknown_command" }, 400);
      const delivery = await actions.runCommand({
        ...typed,
        ...thread,
        command: "/pup",
        text: command[2] ?? "",
      });
      return json({ ok: true, command: "/pup", deliveries: [delivery] });
    }
    const { message, deliveries } = await actions.postMessage({ ...typed, ...thread });
    return json({ ok: true, ts: message.ts, deliveries });
  }
  if (pathname === "/ui/reaction" && post) {
    const delivery = await actions.toggleReaction(v.parse(reactionSchema, await request.json()));
    return json({ ok: true, deliveries: [delivery] });
  }
  if (pathname === "/ui/home" && post) {
    const { user } = v.parse(homeSchema, await request.json());
    return json({ ok: true, deliveries: [await actions.openHome(user)] });
  }
  if (pathname === "/ui/action" && post) {
    const input = v.parse(actionSchema, await request.json());
    const delivery = await actions.pressButton({
      user: input.user,
      actionId: input.action_id,
      value: input.value,
      container: input.container,
    });
    return json({ ok: true, deliveries: [delivery] });
  }
  if (pathname.startsWith("/ui/respond/") && post) {
    const answer = await readAnswer(request);
    const shown = actions.respond(pathname.slice("/ui/respond/".length), answer);
    return shown ? new Response("ok") : new Response("expired_url", { status: 404 });
  }
  return undefined;
}

/** A response_url answer: JSON as Slack documents it (a `payload` form field also works). */
async function readAnswer(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  const raw = type.includes("form") ? (new URLSearchParams(text).get("payload") ?? "{}") : text;
  const parsed: unknown = JSON.parse(raw);
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

async function moodSafely(options: UiRoutesOptions, channel: string): Promise<string> {
  try {
    return await options.moodOf(channel);
  } catch (error) {
    console.error("demo web: moodOf failed", error);
    return "neutral";
  }
}

/** Everything the page draws from; the page filters by the acting person itself. */
function snapshot(workspace: LocalWorkspace) {
  const { identity, directory } = workspace;
  return {
    ok: true,
    team: { id: identity.teamId, name: identity.teamName },
    bot: { userId: identity.botUserId, name: identity.botName },
    users: directory.listUsers().map((u) => ({
      id: u.id,
      name: u.name,
      realName: u.real_name,
      isBot: u.is_bot,
    })),
    conversations: directory.listChannels().map((c) => ({
      id: c.id,
      name: c.name,
      visibility: c.visibility,
      members: c.members ?? null,
      user: c.user ?? null,
      purpose: c.purpose,
    })),
    messages: messagesByChannel(workspace),
    ephemerals: workspace.ephemerals,
    views: Object.fromEntries(workspace.views),
    assistantThreads: [...workspace.assistantThreads.values()],
  };
}

/** Every message (top-level and replies) per conversation, in posting order. */
function messagesByChannel(workspace: LocalWorkspace): Record<string, SlackMessage[]> {
  const byChannel: Record<string, SlackMessage[]> = {};
  for (const { channel, message } of workspace.messages.all()) {
    byChannel[channel] ??= [];
    byChannel[channel].push(message);
  }
  return byChannel;
}

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
