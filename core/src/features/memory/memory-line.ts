/**
 * The plain-text shapes recalled memories and conversation turns take inside a prompt. The prompt
 * builder writes them; the offline responder (core/src/adapters/offline) reads them back, which
 * is how it can answer "You told me on 3 Nov that ..." without a real model. Pure string work.
 *
 * Everything people wrote (what they said and their display names) is quoted data: a JSON string
 * (see {@link quoteData}), so it cannot close its own quotes, start a line of its own, forge
 * another speaker's line or close the block it sits in, whatever it contains (ADR-023).
 *
 * A memory line: `- "Ana" in #design, 3 Nov: "my cat is called Miso"` (a DM reads `in a DM`).
 * A turn: `"Ana": "what is my cat called?"` (who is speaking, then what they said).
 */

/** What one recalled message looks like before it is written into a prompt. */
export interface MemoryLineInput {
  /** Display name of who said it. */
  speaker: string;
  /** Channel name without `#`; null or undefined for a DM (or when the name is unknown). */
  channelName?: string | null;
  postedAt: Date;
  text: string;
  /** The turns around it in its conversation, oldest first, shown beneath it as context. */
  context?: { speaker: string; text: string }[];
  /** Where it was said (a Slack permalink), so a reply can point to it. */
  permalink?: string;
}

/** A memory line read back from a prompt. */
export interface MemoryLine {
  speaker: string;
  /** Channel name without `#`, or null for a DM. */
  channelName: string | null;
  /** The date as written, e.g. `3 Nov` or `3 Nov 2024`. */
  date: string;
  text: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DM_PLACE = "a DM";
/** A JSON string as {@link quoteData} writes it. */
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const MEMORY_LINE = new RegExp(
  String.raw`^\s*- (${QUOTED}) in (#\S+|a DM), (\d{1,2} [A-Z][a-z]{2}(?: \d{4})?): (${QUOTED})\s*$`,
);
const TURN = new RegExp(`^(${QUOTED}): (${QUOTED})$`);
/** `Ana: text`, as hand-written prompts (tests, the demo) still say it; read, never written. */
const PLAIN_TURN = /^([^:\n]{1,80}): (.*)$/s;

/**
 * Text as prompt data: a JSON string (quotes, backslashes, line breaks and control characters
 * escaped), with `<` escaped as `\u003c` where it would start a tag (`</memories>`, `<system>`),
 * so quoted text can neither leave its quotes nor look like one of the prompt's own delimiters.
 * JSON.parse gives the text back exactly.
 */
export function quoteData(text: string): string {
  return JSON.stringify(text)
    .replace(/<(?=\/|[A-Za-z][\w-]*[\s/>])/g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The text {@link quoteData} quoted, or undefined when `quoted` is not such a string. */
export function unquoteData(quoted: string): string | undefined {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Collapses whitespace (newlines included) so a memory stays on one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * `3 Nov` in UTC; with `now` given, the year is added when it differs from `now`'s
 * (`3 Nov 2024`), so old memories are not mistaken for recent ones.
 */
export function formatMemoryDate(postedAt: Date, now?: Date): string {
  const base = `${postedAt.getUTCDate()} ${MONTHS[postedAt.getUTCMonth()]}`;
  if (now !== undefined && now.getUTCFullYear() !== postedAt.getUTCFullYear()) {
    return `${base} ${postedAt.getUTCFullYear()}`;
  }
  return base;
}

/** A display name as data: one line, quoted; "someone" when there is none. */
function quotedName(name: string): string {
  return quoteData(oneLine(name) || "someone");
}

/** One recalled memory as a prompt line: `- "Ana" in #design, 3 Nov: "my cat is called Miso"`. */
export function formatMemoryLine(memory: MemoryLineInput, options: { now?: Date } = {}): string {
  // Channel names are Slack's own (letters, digits, - and _); anything else is not kept.
  const channel = memory.channelName
    ?.replace(/^#/, "")
    .trim()
    .replace(/[^\p{L}\p{N}_-]+/gu, "-");
  const place = channel ? `#${channel}` : DM_PLACE;
  const date = formatMemoryDate(memory.postedAt, options.now);
  const lines = [
    `- ${quotedName(memory.speaker)} in ${place}, ${date}: ${quoteData(oneLine(memory.text))}`,
  ];
  // Indented lines without "- " are context, never read back as memories.
  for (const turn of memory.context ?? []) {
    lines.push(`    around it, ${quotedName(turn.speaker)}: ${quoteData(oneLine(turn.text))}`);
  }
  // Permalinks are pup's own; one that is not a plain https URL is left out rather than quoted.
  if (memory.permalink && /^https:\/\/[^\s"<>]+$/.test(memory.permalink)) {
    lines.push(`    link: ${memory.permalink}`);
  }
  return lines.join("\n");
}

/** Every memory line in `text` (any other lines are ignored), in the order they appear. */
export function parseMemoryLines(text: string): MemoryLine[] {
  const lines: MemoryLine[] = [];
  for (const line of text.split("\n")) {
    const match = MEMORY_LINE.exec(line);
    if (!match) continue;
    const [, speaker = "", place = "", date = "", quoted = ""] = match;
    lines.push({
      speaker: unquoteData(speaker) ?? speaker,
      channelName: place === DM_PLACE ? null : place.slice(1),
      date,
      text: unquoteData(quoted) ?? quoted,
    });
  }
  return lines;
}

/**
 * A conversation turn as the prompt shows it: `"Ana": "what is my cat called?"`. The text keeps
 * its line breaks (escaped), so code and lists survive; a `\nBob: …` inside it stays Ana's.
 */
export function formatSpeakerTurn(turn: { speaker: string; text: string }): string {
  return `${quotedName(turn.speaker)}: ${quoteData(turn.text)}`;
}

/**
 * Reads a turn back (the offline responder does); a plain `Name: text` is read too. A text in
 * neither shape has no known speaker.
 */
export function parseSpeakerTurn(text: string): { speaker: string | null; text: string } {
  const match = TURN.exec(text.trim());
  const speaker = unquoteData(match?.[1] ?? "");
  const said = unquoteData(match?.[2] ?? "");
  if (speaker !== undefined && said !== undefined) return { speaker, text: said };
  const plain = PLAIN_TURN.exec(text.trim());
  if (!plain) return { speaker: null, text };
  return { speaker: (plain[1] ?? "").trim(), text: plain[2] ?? "" };
}
