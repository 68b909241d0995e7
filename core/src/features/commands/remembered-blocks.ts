/**
 * The blocks of what pup remembers of someone, shared by their App Home and `/pup remember`:
 * a fact with links to its sources, a stored message with its link, each with a Forget button
 * (`forget_message`, its value the message or messages as `channel:ts`), and the mood changes
 * their messages caused. Everything people wrote is escaped and cut to fit.
 */
import type { SlackBlock } from "../../ports/slack-gateway";
import { button, clip, escapeMrkdwn, quoted, section, when } from "./blocks";
import { MAX_MESSAGES_PER_BUTTON, messageValue } from "./message-link";
import type { FactItem, MemoryItem, MoodChangeItem } from "./remembered";

/** The action ids of pup's buttons (CONTRACT.md names `forget_me_confirm`). */
export const ACTION = {
  forgetMeConfirm: "forget_me_confirm",
  forgetMeCancel: "forget_me_cancel",
  forgetMessage: "forget_message",
  homePage: "home_page",
} as const;

/** Characters of a stored message shown (the link leads to the rest). */
const MEMORY_CHARS = 400;
const FACT_CHARS = 500;

const KIND_LABEL = { fact: "", preference: "(how you like answers) ", interest: "(interest) " };

function forgetButton(value: string, what: string): SlackBlock {
  return button({
    text: "Forget",
    actionId: ACTION.forgetMessage,
    value,
    confirm: {
      title: "Forget this?",
      text: `pup forgets ${what} and everything it drew only from it. This cannot be undone.`,
      confirm: "Forget",
      deny: "Keep",
      style: "danger",
    },
  });
}

/**
 * A fact, its source links, and a Forget button that forgets its source messages (at most 20
 * of each: with the fact's 500 characters they stay far inside a section's 3,000).
 */
export function factBlock(item: FactItem): SlackBlock {
  const shown = item.sources.slice(0, MAX_MESSAGES_PER_BUTTON);
  const more = item.sources.length - shown.length;
  const links = shown
    .map((source, index) => `<${source.permalink}|${index === 0 ? "source" : index + 1}>`)
    .join(", ");
  const text = escapeMrkdwn(clip(item.fact, FACT_CHARS));
  const what = shown.length > 1 ? "the messages this came from" : "the message this came from";
  return section(
    `• ${KIND_LABEL[item.kind]}${text} (${links}${more > 0 ? `, ${more} more` : ""})`,
    forgetButton(shown.map(messageValue).join(","), what),
  );
}

/** One stored message: when (linked to it), what it said, and a Forget button. */
export function memoryBlock(item: MemoryItem): SlackBlock {
  return section(
    `<${item.permalink}|${when(item.postedAt)}>\n${quoted(item.text, MEMORY_CHARS)}`,
    forgetButton(messageValue(item), "this message"),
  );
}

/** The mood changes, one line each (pup's own words: the reason is the mood machine's). */
export function moodChangeLines(items: readonly MoodChangeItem[]): string {
  return items
    .map((change) => {
      const link = change.permalink ? ` (<${change.permalink}|your message>)` : "";
      const what = `${change.from} → ${change.to}, ${escapeMrkdwn(change.reason)}`;
      return `• ${when(change.at)}: ${what}${link}`;
    })
    .join("\n");
}
