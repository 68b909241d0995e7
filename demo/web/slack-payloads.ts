/**
 * What Slack sends when a person acts: Events API envelopes (`message` with its `channel_type`,
 * `app_mention`, `reaction_added`, `app_home_opened`) and slash-command form bodies (button
 * presses: block-actions.ts). Pure builders: the page's
 * actions become exactly the payloads pup's edge receives from the real Slack.
 */
import type { SlackConversation, SlackMessage, WorkspaceIdentity } from "../local-slack/index";

/** Slack's `channel_type` on message events, by conversation kind. */
const CHANNEL_TYPE = { public: "channel", private: "group", im: "im", mpim: "mpim" } as const;

/** An Events API `event_callback` delivery. */
export interface EventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown>;
  type: "event_callback";
  event_id: string;
  event_time: number;
  authorizations: {
    enterprise_id: null;
    team_id: string;
    user_id: string;
    is_bot: true;
    is_enterprise_install: false;
  }[];
  is_ext_shared_channel: false;
}

let eventSequence = 0;

/** A unique event id, in Slack's `Ev…` shape. */
function nextEventId(): string {
  eventSequence += 1;
  const random = crypto.randomUUID().replaceAll("-", "").slice(0, 8).toUpperCase();
  return `Ev0${random}${String(eventSequence).padStart(4, "0")}`;
}

/** Wraps an inner event the way Slack delivers it to pup's app. */
export function envelope(
  identity: WorkspaceIdentity,
  event: Record<string, unknown>,
): EventEnvelope {
  return {
    // The legacy verification token: Slack still sends it; pup relies on signatures instead.
    token: "demo-verification-token",
    team_id: identity.teamId,
    api_app_id: identity.appId,
    event,
    type: "event_callback",
    event_id: nextEventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: identity.teamId,
        user_id: identity.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** Whether `text` mentions `userId` (`<@U…>` or `<@U…|name>`). */
export function mentions(text: string, userId: string): boolean {
  return text.includes(`<@${userId}>`) || text.includes(`<@${userId}|`);
}

/**
 * The deliveries for a person's message: always `message` (with `channel_type`), and also
 * `app_mention` when it mentions pup outside a DM, as Slack sends both to an app subscribed to
 * `message.channels`/`message.groups` and `app_mention`.
 */
export function messageEvents(
  identity: WorkspaceIdentity,
  conversation: SlackConversation,
  message: SlackMessage,
): EventEnvelope[] {
  const common = {
    user: message.user,
    text: message.text,
    ts: message.ts,
    team: identity.teamId,
    channel: conversation.id,
    event_ts: message.ts,
    ...(typeof message.client_msg_id === "string" ? { client_msg_id: message.client_msg_id } : {}),
    ...(message.thread_ts && message.thread_ts !== message.ts
      ? { thread_ts: message.thread_ts, parent_user_id: message.parent_user_id }
      : {}),
  };
  const deliveries = [
    envelope(identity, {
      type: "message",
      channel_type: CHANNEL_TYPE[conversation.visibility],
      ...common,
    }),
  ];
  if (conversation.visibility !== "im" && mentions(message.text, identity.botUserId)) {
    deliveries.push(envelope(identity, { type: "app_mention", ...common }));
  }
  return deliveries;
}

/** The `reaction_added` (or `reaction_removed`) delivery for a reaction on a message. */
export function reactionEvent(
  identity: WorkspaceIdentity,
  change: { added: boolean; user: string; name: string; channel: string; message: SlackMessage },
): EventEnvelope {
  return envelope(identity, {
    type: change.added ? "reaction_added" : "reaction_removed",
    user: change.user,
    reaction: change.name,
    item: { type: "message", channel: change.channel, ts: change.message.ts },
    ...(change.message.user ? { item_user: change.message.user } : {}),
    event_ts: `${(Date.now() / 1000).toFixed(6)}`,
  });
}

/**
 * `app_home_opened` for the Home tab (pup publishes the person's App Home on it). `view` is the
 * Home pup published before, which Slack includes once there is one.
 */
export function appHomeOpenedEvent(
  identity: WorkspaceIdentity,
  input: { user: string; channel: string; view?: Record<string, unknown> },
): EventEnvelope {
  return envelope(identity, {
    type: "app_home_opened",
    user: input.user,
    channel: input.channel,
    tab: "home",
    ...(input.view ? { view: input.view } : {}),
    event_ts: `${(Date.now() / 1000).toFixed(6)}`,
  });
}

/** What a slash command needs besides the identity. */
export interface SlashCommandInput {
  command: string;
  text: string;
  userId: string;
  userName: string;
  conversation: SlackConversation;
  responseUrl: string;
  triggerId: string;
}

/** The form fields Slack posts to `/slack/commands`. */
export function slashCommandForm(
  identity: WorkspaceIdentity,
  input: SlashCommandInput,
): Record<string, string> {
  const { conversation } = input;
  return {
    token: "demo-verification-token",
    team_id: identity.teamId,
    team_domain: identity.domain,
    channel_id: conversation.id,
    channel_name: conversation.visibility === "im" ? "directmessage" : conversation.name,
    user_id: input.userId,
    user_name: input.userName,
    command: input.command,
    text: input.text,
    api_app_id: identity.appId,
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}
