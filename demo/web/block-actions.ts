/**
 * A button pressed on the page, as Slack reports it to the app: a `block_actions` interaction.
 * The button is looked up in what the workspace stored (the message, the ephemeral message or
 * the App Home view it was drawn from), so the page can press only buttons pup really sent, with
 * their real values, as in Slack, where the client cannot make up a button either. Pure: the
 * payload is exactly the JSON pup's edge receives in the `payload` form field.
 */
import type {
  SlackConversation,
  SlackMessage,
  SlackUser,
  WorkspaceIdentity,
} from "../local-slack/index";

/** One button as it reaches the app in `actions[]`. */
export interface PressedButton {
  type: "button";
  action_id: string;
  block_id: string;
  value: string;
  text: { type: "plain_text"; text: string; emoji: true };
  style?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Slack gives every block without a `block_id` one of its own; the demo numbers them. */
const blockIdOf = (block: Json, index: number) =>
  typeof block.block_id === "string" ? block.block_id : `pup-demo-block-${index}`;

/** The buttons of one block: a section's accessory, or an actions block's elements. */
function buttonsOf(block: Json): Json[] {
  const candidates = block.type === "actions" ? block.elements : [block.accessory];
  return Array.isArray(candidates)
    ? candidates.filter((e): e is Json => isObject(e) && e.type === "button")
    : [];
}

/**
 * The button with `actionId` and `value` in `blocks`, as Slack reports it pressed; `undefined`
 * when there is none (the view or message changed since the page drew it, or it never had one).
 */
export function findButton(
  blocks: unknown,
  actionId: string,
  value: string,
): PressedButton | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block)) continue;
    for (const element of buttonsOf(block)) {
      if (element.action_id !== actionId || (element.value ?? "") !== value) continue;
      const label = isObject(element.text) ? String(element.text.text ?? "") : "";
      return {
        type: "button",
        action_id: actionId,
        block_id: blockIdOf(block, index),
        value,
        text: { type: "plain_text", text: label, emoji: true },
        ...(typeof element.style === "string" ? { style: element.style } : {}),
      };
    }
  }
  return undefined;
}

/** Where the button was: a message (an ephemeral one too) or the person's App Home view. */
export type ButtonSurface =
  | {
      type: "message";
      conversation: SlackConversation;
      message: SlackMessage;
      ephemeral: boolean;
      responseUrl: string;
    }
  | { type: "view"; view: Json };

/** What a press needs besides the workspace's identity. */
export interface BlockActionsInput {
  user: SlackUser;
  surface: ButtonSurface;
  button: PressedButton;
  triggerId: string;
  /** Seconds, as Slack's `action_ts`. */
  nowSeconds: number;
}

/** The `block_actions` payload Slack posts to the app's interactivity URL. */
export function blockActionsPayload(identity: WorkspaceIdentity, input: BlockActionsInput): Json {
  const { user, surface } = input;
  const common = {
    type: "block_actions",
    user: { id: user.id, username: user.name, name: user.name, team_id: identity.teamId },
    api_app_id: identity.appId,
    // The legacy verification token: Slack still sends it; pup relies on signatures instead.
    token: "demo-verification-token",
    trigger_id: input.triggerId,
    team: { id: identity.teamId, domain: identity.domain },
    enterprise: null,
    is_enterprise_install: false,
    state: { values: {} },
    actions: [{ ...input.button, action_ts: input.nowSeconds.toFixed(6) }],
  };
  if (surface.type === "view") {
    const viewId = String(surface.view.id ?? "");
    return { ...common, container: { type: "view", view_id: viewId }, view: surface.view };
  }
  const { conversation, message, ephemeral } = surface;
  const threadTs = message.thread_ts;
  return {
    ...common,
    container: {
      type: "message",
      message_ts: message.ts,
      channel_id: conversation.id,
      is_ephemeral: ephemeral,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    channel: {
      id: conversation.id,
      name: conversation.visibility === "im" ? "directmessage" : conversation.name,
    },
    // Slack includes the message itself only when it is not ephemeral.
    ...(ephemeral ? {} : { message }),
    response_url: surface.responseUrl,
  };
}
