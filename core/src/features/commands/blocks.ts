/**
 * Block Kit pieces for pup's answers and its App Home, within Slack's limits: a section's text
 * at most 3,000 characters, a button's label 75 and its value 2,000, a message at most 50
 * blocks and a view 100. Whatever people wrote is escaped (`&`, `<`, `>`) before it goes into
 * mrkdwn, so their words can never become a link, a mention or markup.
 */
import type { SlackBlock } from "../../ports/slack-gateway";

export const MAX_SECTION_TEXT = 3000;
export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
export const MAX_BUTTON_VALUE = 2000;
const MAX_BUTTON_TEXT = 75;
const MAX_HEADER_TEXT = 150;

/** Slack's mrkdwn escapes: `&`, `<` and `>` (nothing else needs it). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** `text` cut to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** What someone wrote, as one quoted mrkdwn paragraph of at most `max` characters of theirs. */
/**
 * Slack's markup in what someone wrote, as the words it shows (`<@U1>` as `@U1`, `<#C1|general>`
 * as `#general`, `<url|label>` as its label): the text is then escaped, so markup would
 * otherwise show as raw angle brackets.
 */
export function readable(text: string): string {
  return text
    .replace(/<([@#!])([^<>|\s]+)\|([^<>]+)>/g, (_all, sigil: string, _id, label: string) =>
      sigil === "!" ? `@${label}` : `${sigil}${label}`,
    )
    .replace(/<([@#!])([^<>|\s]+)>/g, (_all, sigil: string, id: string) =>
      sigil === "!" ? `@${id}` : `${sigil}${id}`,
    )
    .replace(/<([^<>|\s]+)\|([^<>]+)>/g, "$2")
    .replace(/<([^<>\s]+)>/g, "$1");
}

export function quoted(text: string, max: number): string {
  const oneLine = readable(text).replace(/\s+/g, " ").trim();
  return `>${escapeMrkdwn(clip(oneLine, max))}`;
}

const plain = (text: string, max: number) => ({ type: "plain_text", text: clip(text, max) });

export function header(text: string): SlackBlock {
  return { type: "header", text: plain(text, MAX_HEADER_TEXT) };
}

/**
 * A section of mrkdwn pup wrote (escape what users wrote first). A text that still passes the
 * limit is cut at its last line break before it, so no link or escape is cut in half.
 */
export function section(mrkdwn: string, accessory?: SlackBlock): SlackBlock {
  let text = mrkdwn;
  if (text.length > MAX_SECTION_TEXT) {
    const cut = text.lastIndexOf("\n", MAX_SECTION_TEXT - 2);
    text = `${cut > 0 ? text.slice(0, cut) : clip(text, MAX_SECTION_TEXT - 1)}\n…`;
  }
  return { type: "section", text: { type: "mrkdwn", text }, ...(accessory ? { accessory } : {}) };
}

export function context(mrkdwn: string): SlackBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(mrkdwn, MAX_SECTION_TEXT) }] };
}

export function divider(): SlackBlock {
  return { type: "divider" };
}

export function actions(elements: SlackBlock[]): SlackBlock {
  return { type: "actions", elements };
}

/** A confirmation dialog Slack shows before the button's action is sent. */
export interface Confirm {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  style?: "danger" | "primary";
}

export function button(options: {
  text: string;
  actionId: string;
  value: string;
  style?: "danger" | "primary";
  confirm?: Confirm;
}): SlackBlock {
  if (options.value.length > MAX_BUTTON_VALUE) {
    throw new Error(`button value of ${options.value.length} characters is over Slack's limit`);
  }
  const confirm = options.confirm;
  return {
    type: "button",
    text: plain(options.text, MAX_BUTTON_TEXT),
    action_id: options.actionId,
    value: options.value,
    ...(options.style ? { style: options.style } : {}),
    ...(confirm
      ? {
          confirm: {
            title: plain(confirm.title, 100),
            text: { type: "plain_text", text: clip(confirm.text, 300) },
            confirm: plain(confirm.confirm, 30),
            deny: plain(confirm.deny, 30),
            ...(confirm.style ? { style: confirm.style } : {}),
          },
        }
      : {}),
  };
}

/** A UTC date and time people can read, e.g. `2026-11-02 09:00 UTC`. */
export function when(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
