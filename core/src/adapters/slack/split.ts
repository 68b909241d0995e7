/**
 * Splitting long replies into Slack-sized messages. Slack truncates `text` past 40,000 characters
 * and recommends at most 4,000; we stay under {@link MESSAGE_TEXT_LIMIT} so a closing code fence
 * added at a split still fits.
 */

/** Most characters (UTF-16 code units) pup puts into one message's text. */
export const MESSAGE_TEXT_LIMIT = 3_900;

/** Boundaries closer to the start than this share of the limit waste too much of a message. */
const EARLIEST_SOFT_BOUNDARY = 0.5;

const FENCE = "```";

/** One split: the text that stays in this message and the text that moves to the next. */
export interface Split {
  head: string;
  rest: string;
}

/**
 * Cuts `text` (longer than `limit`) into a head of at most `limit` characters (plus a closing
 * code fence when the cut falls inside one) and the rest. The cut never falls before `keep`
 * characters: a streamed message cannot take back text already sent. It prefers a paragraph
 * break, then a line break, then a space, and only then cuts mid-word.
 */
export function splitAt(text: string, limit: number, keep = 0): Split {
  // Below this a reopened code fence could outgrow the head and the split would never shrink.
  if (limit < 16) throw new RangeError(`splitAt: limit must be at least 16, got ${limit}`);
  if (text.length <= limit) return { head: text, rest: "" };
  const earliest = Math.max(keep, 1);
  const softEarliest = Math.max(earliest, Math.floor(limit * EARLIEST_SOFT_BOUNDARY));

  let cut = lastIndexWithin(text, "\n\n", softEarliest, limit);
  let separator = /^\n+/;
  if (cut < 0) cut = lastIndexWithin(text, "\n", softEarliest, limit);
  if (cut < 0) {
    cut = lastIndexWithin(text, " ", earliest, limit);
    separator = /^ +/;
  }
  if (cut < 0) {
    cut = Math.max(limit, earliest);
    // Never separate the two halves of a surrogate pair (an emoji would turn into garbage).
    if (cut > earliest && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
    separator = /^$/;
  }

  let head = text.slice(0, cut);
  let rest = text.slice(cut).replace(separator, "");
  if (countOccurrences(head, FENCE) % 2 === 1) {
    // The cut is inside a code block: close it here and reopen it in the next message.
    head = `${head}\n${FENCE}`;
    rest = `${FENCE}\n${rest}`;
  }
  return { head, rest };
}

/** Splits a whole text into messages of at most `limit` characters; blank pieces are dropped. */
export function splitText(text: string, limit = MESSAGE_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let remaining = text;
  while (remaining.length > limit) {
    const { head, rest } = splitAt(remaining, limit);
    if (head.trim() !== "") parts.push(head);
    remaining = rest;
  }
  if (remaining.trim() !== "") parts.push(remaining);
  return parts;
}

/** The last index of `needle` with `from <= index <= to`, or -1. */
function lastIndexWithin(text: string, needle: string, from: number, to: number): number {
  const index = text.lastIndexOf(needle, to);
  return index >= from ? index : -1;
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) {
    count += 1;
  }
  return count;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
