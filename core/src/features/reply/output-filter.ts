/**
 * The one filter between pup's words and Slack. A model can be talked into anything by what it
 * reads (a planted memory, a display name, a thread), so nothing pup posts is trusted: mass
 * mentions are made quiet, links point only to allowed hosts and show where they go, and token
 * shapes, configured secrets and the prompt's canary never leave. The filtered gateway
 * (filtered-gateway.ts) applies it to every text that reaches Slack; streams go through
 * output-stream.ts, which only hands it text that no later chunk can change.
 */
import { defangBareLinks, labelledLink, SLACK_LINK_HOSTS } from "./output-links";

/** What may be posted: where links may point and which exact values never appear. */
export interface OutputPolicy {
  /** Hosts links may point to; each allows its subdomains too. */
  allowedHosts: readonly string[];
  /** Configured secrets and the prompt canary, removed wherever they appear. */
  secrets: readonly string[];
}

/**
 * The policy from configuration: the allow-list (slack.com when none is configured) and every
 * secret value that is set, with the canary among them.
 */
export function outputPolicy(options: {
  canary: string;
  linkAllowlist: readonly string[] | undefined;
  secrets: readonly (string | undefined)[];
}): OutputPolicy {
  return {
    allowedHosts: options.linkAllowlist ?? SLACK_LINK_HOSTS,
    secrets: [options.canary, ...options.secrets].filter((s): s is string => !!s),
  };
}

/** What one chunk of a stream leaves for the next: whether a code block is still open. */
export interface FilterState {
  inFence: boolean;
}

/** Stands where a secret or token was. */
export const REDACTED = "[redacted]";

/**
 * Values shorter than this are not treated as secrets: removing every "abc" would mangle
 * replies, and a secret that short protects nothing anyway.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * Invisible characters: they could hide a token from the patterns below and from a reader. A word
 * joiner right after `@` is the filter's own quiet mention (below) and stays, so filtering twice
 * changes nothing.
 */
const INVISIBLE =
  /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2061-\u2064\u2066-\u2069\uFEFF]|(?<!@)\u2060/g;

/** Slack tokens (bot, user, app-level, refresh, rotating `xoxe.xoxp-`) and OpenAI keys. */
const TOKEN_SHAPES = [
  /xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{6,}/g,
  /xapp-[A-Za-z0-9-]{6,}/g,
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g,
];

/** The mentions that notify a whole channel or group. */
const MASS_MENTIONS = new Set(["channel", "here", "everyone"]);
const PLAIN_MASS_MENTION = /(?<![\w@])@(here|channel|everyone)(?!\w)/gi;

/** A word joiner after `@`: reads the same, but Slack sees no mention in it. */
function quiet(name: string): string {
  return `@\u2060${name.replace(/^@/, "")}`;
}

/**
 * What the walk below stops at: code fences, inline code marks and line ends (code is tracked so
 * bare domains inside it are left alone: Slack links nothing there), Slack's `<…>` entities and
 * markdown links (streams are markdown).
 */
const TOKEN = /```|`|\n|<[^<>\n]*>|\[[^\]\n]*\]\([^()\s]*\)/g;

/** Filters one text (or one chunk of a stream, carrying `state` to the next). */
export function filterOutput(
  text: string,
  policy: OutputPolicy,
  state: FilterState = { inFence: false },
): { text: string; state: FilterState } {
  const clean = redactSecrets(text.replace(INVISIBLE, ""), policy.secrets);
  let inFence = state.inFence;
  let inInline = false;
  let out = "";
  let at = 0;
  for (const match of clean.matchAll(TOKEN)) {
    const token = match[0];
    out += plain(clean.slice(at, match.index), policy, inFence || inInline);
    at = match.index + token.length;
    if (token === "```") {
      inFence = !inFence;
      inInline = false;
      out += token;
    } else if (token === "`") {
      if (!inFence) inInline = !inInline;
      out += token;
    } else if (token === "\n") {
      inInline = false;
      out += token;
    } else if (token.startsWith("<")) {
      out += entity(token.slice(1, -1), policy);
    } else {
      out += inFence || inInline ? plain(token, policy, true) : markdownLink(token, policy);
    }
  }
  out += plain(clean.slice(at), policy, inFence || inInline);
  return { text: out, state: { inFence } };
}

/** {@link filterOutput} for a whole text. */
export function filterText(text: string, policy: OutputPolicy): string {
  return filterOutput(text, policy).text;
}

/** Removes configured secrets (longest first, so one inside another goes whole) and tokens. */
function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const values = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of values) out = out.split(secret).join(REDACTED);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

/** Plain text: mass mentions made quiet; outside code, links to other hosts defanged. */
function plain(text: string, policy: OutputPolicy, code: boolean): string {
  const quieted = text.replace(PLAIN_MASS_MENTION, (_, name: string) => quiet(name));
  return code ? quieted : defangBareLinks(quieted, policy.allowedHosts);
}

/** One of Slack's `<…>` entities: special mentions, user and channel mentions, links. */
function entity(content: string, policy: OutputPolicy): string {
  const bar = content.indexOf("|");
  const head = bar < 0 ? content : content.slice(0, bar);
  const label = bar < 0 ? "" : plain(content.slice(bar + 1), policy, false);
  if (head.startsWith("!")) {
    const name = /^!([a-z]+)/i.exec(head)?.[1]?.toLowerCase() ?? "";
    if (MASS_MENTIONS.has(name)) return quiet(name);
    if (name === "subteam") return quiet(label || "group");
    // Dates and other commands: their fallback text, never the command.
    return label;
  }
  if (/^[@#][A-Z0-9]+$/.test(head)) return label === "" ? `<${head}>` : `<${head}|${label}>`;
  if (/^[a-z][a-z0-9+.-]*:\S*$/i.test(head)) {
    return labelledLink(head, label, policy.allowedHosts, (url, text) =>
      text === "" ? `<${url}>` : `<${url}|${text}>`,
    );
  }
  // Not an entity Slack knows: its text without the brackets Slack would try to read.
  return plain(content, policy, false);
}

/** `[label](url)`, which `markdown_text` (streams) turns into a link. */
function markdownLink(token: string, policy: OutputPolicy): string {
  const close = token.lastIndexOf("](");
  const label = plain(token.slice(1, close), policy, false);
  const url = token.slice(close + 2, -1);
  return labelledLink(url, label, policy.allowedHosts, (href, text) =>
    text === "" ? `<${href}>` : `[${text}](${href})`,
  );
}
