/**
 * The plain-text shapes recalled memories and conversation turns take inside a prompt. The prompt
 * builder writes them; the offline responder (core/src/adapters/offline) reads them back, which
 * is how it can answer "You told me on 3 Nov that ..." without a real model. Pure string work.
 *
 * A memory line: `- Ana in #design, 3 Nov: "my cat is called Miso"` (a DM reads `in a DM`).
 * A turn: `Ana: what is my cat called?` (who is speaking, then what they said).
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
const MEMORY_LINE = /^\s*- (.+?) in (#\S+|a DM), (\d{1,2} [A-Z][a-z]{2}(?: \d{4})?): "(.*)"\s*$/;
const TURN = /^([^:\n]{1,80}): (.*)$/s;

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

/** One recalled memory as a prompt line: `- Ana in #design, 3 Nov: "my cat is called Miso"`. */
export function formatMemoryLine(memory: MemoryLineInput, options: { now?: Date } = {}): string {
  const channel = memory.channelName?.replace(/^#/, "").trim();
  const place = channel ? `#${channel.replace(/\s+/g, "-")}` : DM_PLACE;
  const speaker = oneLine(memory.speaker) || "someone";
  const lines = [
    `- ${speaker} in ${place}, ${formatMemoryDate(memory.postedAt, options.now)}: "${oneLine(memory.text)}"`,
  ];
  // Indented lines without "- " are context, never read back as memories.
  for (const turn of memory.context ?? []) {
    lines.push(`    around it, ${oneLine(turn.speaker) || "someone"}: "${oneLine(turn.text)}"`);
  }
  if (memory.permalink) lines.push(`    link: ${memory.permalink}`);
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
      speaker,
      channelName: place === DM_PLACE ? null : place.slice(1),
      date,
      text: quoted,
    });
  }
  return lines;
}

/** A conversation turn as the prompt shows it: `Ana: what is my cat called?`. */
export function formatSpeakerTurn(turn: { speaker: string; text: string }): string {
  return `${oneLine(turn.speaker) || "someone"}: ${turn.text}`;
}

/** Reads a turn back; a text without a `Name: ` prefix has no known speaker. */
export function parseSpeakerTurn(text: string): { speaker: string | null; text: string } {
  const match = TURN.exec(text.trim());
  if (!match) return { speaker: null, text };
  return { speaker: (match[1] ?? "").trim(), text: match[2] ?? "" };
}
