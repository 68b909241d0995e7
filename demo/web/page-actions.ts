/**
 * What a person does on the page, done the way Slack does it: the message is stored in the
 * workspace first (so it has its `ts`), then the matching Events API deliveries are signed and
 * handed to the edge; `/pup …` becomes a signed slash command whose `response_url` points back
 * here; a click on a reaction toggles it and sends `reaction_added`/`reaction_removed`; opening
 * the Home tab sends `app_home_opened`; a button press is a signed `block_actions` interaction.
 */
import type { EventHub } from "../local-slack/event-hub";
import type {
  LocalWorkspace,
  SlackConversation,
  SlackMessage,
  SlackUser,
} from "../local-slack/index";
import { authorFields } from "../local-slack/message-content";
import type { Caller } from "../local-slack/slack-api";
import { type ButtonSurface, blockActionsPayload, findButton } from "./block-actions";
import type { PageEvent } from "./event-stream";
import {
  type CommandOrigin,
  type ResponseAnswer,
  type ResponseUrls,
  showAnswer,
} from "./response-urls";
import {
  appHomeOpenedEvent,
  messageEvents,
  reactionEvent,
  slashCommandForm,
} from "./slack-payloads";
import { signedSlackRequest } from "./slack-signing";

/** How the actions reach the world around them. */
export interface PageActionsOptions {
  workspace: LocalWorkspace;
  /** pup's caller (its bot token), for answers that arrive through a `response_url`. */
  bot: Caller;
  signingSecret: string;
  edge: (request: Request) => Promise<Response>;
  responseUrls: ResponseUrls;
  /** This server's base URL, for `response_url`s. */
  baseUrl: () => string;
  /** Where delivery failures are announced to the page. */
  pageEvents: EventHub<PageEvent>;
}

/** A message typed on the page. */
export interface TypedMessage {
  user: string;
  channel: string;
  text: string;
  threadTs?: string;
}

/** A refusal the page can show: Slack's error strings where Slack has one. */
export class PageActionError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = "PageActionError";
  }
}

/** A button pressed on the page: which one, and where it was drawn. */
export interface ButtonPress {
  user: string;
  actionId: string;
  value: string;
  /** A message (or the person's ephemeral message) by channel and ts, or their App Home. */
  container: { type: "message"; channel: string; ts: string } | { type: "view" };
}

/** What happened to one signed delivery. */
export interface Delivery {
  path: string;
  status: number;
}

const FORM = "application/x-www-form-urlencoded";

/** The page's actions over one workspace. */
export class PageActions {
  constructor(private readonly options: PageActionsOptions) {}

  /** Stores a person's message and delivers `message` (+ `app_mention`) to the edge. */
  async postMessage(
    input: TypedMessage,
  ): Promise<{ message: SlackMessage; deliveries: Delivery[] }> {
    const { workspace } = this.options;
    const conversation = this.#conversationFor(input.user, input.channel);
    const text = this.#withMentions(input.text.trim());
    if (text === "") throw new PageActionError("no_text");
    const message = workspace.postMessage(conversation.id, {
      user: input.user,
      text,
      team: workspace.identity.teamId,
      client_msg_id: crypto.randomUUID(),
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    });
    const deliveries: Delivery[] = [];
    for (const envelope of messageEvents(workspace.identity, conversation, message)) {
      deliveries.push(await this.#deliver(input.user, "/slack/events", JSON.stringify(envelope)));
    }
    return { message, deliveries };
  }

  /** Sends `/command text` as Slack does; the answer arrives later through the response URL. */
  async runCommand(input: TypedMessage & { command: string }): Promise<Delivery> {
    const { workspace, responseUrls } = this.options;
    const conversation = this.#conversationFor(input.user, input.channel);
    const user = workspace.user(input.user);
    const id = responseUrls.issue({
      channel: conversation.id,
      user: user.id,
      ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    });
    const form = slashCommandForm(workspace.identity, {
      command: input.command,
      text: this.#withMentions(input.text.trim()),
      userId: user.id,
      userName: user.name,
      conversation,
      responseUrl: this.#responseUrl(id),
      triggerId: `${Date.now()}.${crypto.randomUUID().slice(0, 8)}`,
    });
    const body = new URLSearchParams(form).toString();
    return this.#deliver(user.id, "/slack/commands", body, FORM, conversation.id);
  }

  /** Adds `user`'s reaction (or takes it back when it is there) and tells the edge. */
  async toggleReaction(input: { user: string; channel: string; ts: string; name: string }) {
    const { workspace } = this.options;
    const conversation = this.#conversationFor(input.user, input.channel);
    const name = input.name.replace(/^:|:$/g, "");
    const message = workspace.messages.find(conversation.id, input.ts);
    if (!message) throw new PageActionError("message_not_found");
    const added = !message.reactions?.some((r) => r.name === name && r.users.includes(input.user));
    if (added) workspace.addReaction(conversation.id, message.ts, name, input.user);
    else workspace.removeReaction(conversation.id, message.ts, name, input.user);
    const change = { added, user: input.user, name, channel: conversation.id, message };
    const envelope = reactionEvent(workspace.identity, change);
    return this.#deliver(input.user, "/slack/events", JSON.stringify(envelope));
  }

  /** Tells pup the person opened its Home tab; pup answers by publishing their App Home. */
  async openHome(userId: string): Promise<Delivery> {
    const { workspace } = this.options;
    const user = this.#person(userId);
    const envelope = appHomeOpenedEvent(workspace.identity, {
      user: user.id,
      channel: workspace.conversation(user.id).id,
      view: workspace.views.get(user.id),
    });
    return this.#deliver(user.id, "/slack/events", JSON.stringify(envelope));
  }

  /**
   * Presses a button pup sent: found in the stored message or view (a button the page made up,
   * or one no longer there, is `action_not_found`), then sent as `block_actions`. A button in a
   * message gets a `response_url` whose `replace_original` answer replaces that message.
   */
  async pressButton(press: ButtonPress): Promise<Delivery> {
    const { workspace, responseUrls } = this.options;
    const user = this.#person(press.user);
    const where = this.#buttonHolder(press);
    const blocks = where.type === "view" ? where.view.blocks : where.message.blocks;
    const button = findButton(blocks, press.actionId, press.value);
    if (!button) throw new PageActionError("action_not_found");
    let surface: ButtonSurface;
    if (where.type === "view") surface = where;
    else {
      const { conversation, message, ephemeral } = where;
      const origin: CommandOrigin = {
        channel: conversation.id,
        user: user.id,
        ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
        original: { ts: message.ts, ephemeral },
      };
      surface = { ...where, responseUrl: this.#responseUrl(responseUrls.issue(origin)) };
    }
    const payload = blockActionsPayload(workspace.identity, {
      user,
      surface,
      button,
      triggerId: `${Date.now()}.${crypto.randomUUID().slice(0, 8)}`,
      nowSeconds: Date.now() / 1000,
    });
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.#deliver(user.id, "/slack/interactions", body, FORM);
  }

  /** The message or view holding a pressed button, if the presser can see it. */
  #buttonHolder(press: ButtonPress) {
    const { workspace } = this.options;
    if (press.container.type === "view") {
      const view = workspace.views.get(press.user);
      if (!view) throw new PageActionError("view_not_found");
      return { type: "view" as const, view };
    }
    const conversation = this.#conversationFor(press.user, press.container.channel);
    const { ts } = press.container;
    // Someone else's ephemeral message is not theirs to press.
    const ephemeral = workspace.ephemerals.find(
      (e) => e.channel === conversation.id && e.user === press.user && e.message.ts === ts,
    );
    const message = ephemeral?.message ?? workspace.messages.find(conversation.id, ts);
    if (!message) throw new PageActionError("message_not_found");
    const isEphemeral = ephemeral !== undefined;
    return { type: "message" as const, conversation, message, ephemeral: isEphemeral };
  }

  /** Shows an answer posted to a `response_url`; `false` when the URL is not valid. */
  respond(id: string, answer: ResponseAnswer): boolean {
    const origin = this.options.responseUrls.use(id);
    if (!origin) return false;
    showAnswer(this.options.workspace, this.options.bot, origin, answer);
    return true;
  }

  #responseUrl(id: string): string {
    return new URL(`ui/respond/${id}`, this.options.baseUrl()).href;
  }

  /** A person in the workspace (not a bot): whom the page may act as. */
  #person(userId: string): SlackUser {
    const user = this.options.workspace.directory.findUser(userId);
    if (!user || user.is_bot) throw new PageActionError("user_not_found");
    return user;
  }

  /** The conversation, if `user` may write in it (members only, as on Slack). */
  #conversationFor(userId: string, channel: string): SlackConversation {
    const { workspace } = this.options;
    this.#person(userId);
    const conversation = workspace.directory.findChannel(channel);
    if (!conversation) throw new PageActionError("channel_not_found");
    if (conversation.members && !conversation.members.includes(userId)) {
      throw new PageActionError("not_in_channel");
    }
    return conversation;
  }

  /** Turns `@pup` / `@alice` into Slack's `<@U…>` mentions (unknown names stay as typed). */
  #withMentions(text: string): string {
    const { directory } = this.options.workspace;
    return text.replace(/(^|[^\w<@])@([a-z0-9][a-z0-9._-]*)/gi, (whole, before, name) => {
      const wanted = String(name).toLowerCase();
      const user = directory.listUsers().find((u) => u.name.toLowerCase() === wanted);
      return user ? `${before}<@${user.id}>` : whole;
    });
  }

  /** Signs and hands one request to the edge; failures are shown on the page, not thrown. */
  async #deliver(
    user: string,
    path: "/slack/events" | "/slack/commands" | "/slack/interactions",
    body: string,
    contentType = "application/json",
    channel?: string,
  ): Promise<Delivery> {
    const request = signedSlackRequest(path, body, contentType, this.options.signingSecret);
    let status = 0;
    let detail = "";
    try {
      const response = await this.options.edge(request);
      status = response.status;
      const answer = await response.text();
      if (response.ok && channel) this.#showImmediateAnswer(answer, user, channel);
      if (!response.ok) detail = `${path} answered ${status}`;
    } catch (error) {
      detail = `${path} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (detail) this.options.pageEvents.publish({ type: "delivery_failed", detail, user });
    return { path, status };
  }

  /** A slash command's HTTP answer may itself carry a message (e.g. "slow down"). */
  #showImmediateAnswer(answer: string, user: string, channel: string): void {
    if (!answer.trim().startsWith("{")) return;
    try {
      const parsed: unknown = JSON.parse(answer);
      const text = typeof parsed === "object" && parsed ? Reflect.get(parsed, "text") : undefined;
      if (typeof text !== "string" || text === "") return;
      const { workspace, bot } = this.options;
      workspace.postEphemeral(channel, user, { ...authorFields(workspace, bot), text });
    } catch {
      // Not JSON: an empty acknowledgement, nothing to show.
    }
  }
}
