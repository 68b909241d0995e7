/**
 * The Slack messages one reply is written into. Text only grows at the end of the last open part;
 * a part longer than {@link MESSAGE_TEXT_LIMIT} is closed at a good boundary and the rest opens
 * the next part, which later goes into the same thread.
 */
import type { PostedMessage } from "../../ports/slack-gateway";
import { MESSAGE_TEXT_LIMIT, splitAt } from "./split";

/** One Slack message of the reply. */
export interface Part {
  /** Everything this message should say so far. */
  text: string;
  /** What Slack shows now (always a prefix of `text`: text only grows until the part closes). */
  shown: string;
  /** Characters of `text` that Slack shows or is being sent: a split must not cut before them. */
  committed: number;
  ts: string | null;
  /** Where Slack says the message is (a DM addressed by user id answers with its `D…` id). */
  channelId: string | null;
  /** No more text will come into this part. */
  closed: boolean;
  /** Slack shows the final text (and the stream, if any, is stopped). */
  done: boolean;
}

export function newPart(): Part {
  return {
    text: "",
    shown: "",
    committed: 0,
    ts: null,
    channelId: null,
    closed: false,
    done: false,
  };
}

/** The part new text goes into: the last one, or a new one when the last is closed. */
export function currentPart(parts: Part[]): Part {
  const last = parts.at(-1);
  if (last && !last.closed) return last;
  const part = newPart();
  parts.push(part);
  return part;
}

/** Closes the current part at a good boundary while it is too long; the rest opens the next. */
export function splitOverflow(parts: Part[]): void {
  let current = currentPart(parts);
  while (current.text.length > MESSAGE_TEXT_LIMIT) {
    const { head, rest } = splitAt(current.text, MESSAGE_TEXT_LIMIT, current.committed);
    current.text = head;
    current.closed = true;
    current = newPart();
    current.text = rest;
    parts.push(current);
  }
}

/** Messages posted so far, in order; `channelId` stands in where Slack named none. */
export function postedMessages(parts: readonly Part[], channelId: string): PostedMessage[] {
  return parts.flatMap((part) =>
    part.ts === null ? [] : [{ channelId: part.channelId ?? channelId, ts: part.ts }],
  );
}
