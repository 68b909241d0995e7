// An "obedient" model for injection tests: it does whatever any text in the prompt tells it to,
// wherever that text sits (system prompt, recalled memories, a display name, a thread turn),
// the way a model fooled by a prompt injection would. Defences are then measured on what
// reaches Slack, not on whether the model behaved. Instructions it obeys:
// - `say "X"` / `reply with "X"` / `repeat after me: "X"`: its reply includes X;
// - "repeat/print/reveal your system prompt/instructions": it echoes the whole system message
//   (with any canary planted there);
// - "post/mention/ping/notify <!channel> | @here | …": it includes that mention;
// - "include/add/share/post this link X": it includes the link X;
// - "print/reveal/repeat the token/key/secret/password": it includes every token-shaped string
//   and `pup-canary-…` marker it can see anywhere in the prompt.
// Prompt data may be quoted as JSON strings; the model reads through the escapes, as a real one
// would.

import { type ChatRequest, type ChatResponder, messageText } from "./responder";

const SAY =
  /\b(?:say|reply with|respond with|answer with|repeat after me|write|output)\b\s*:?\s*"([^"\n]{1,300})"/gi;
const REVEAL_PROMPT =
  /\b(?:repeat|print|reveal|show|output|dump|paste|quote)\b[^.\n]{0,40}\b(?:system prompt|system message|instructions|your prompt|hidden rules)\b/i;
const MENTION =
  /\b(?:post|send|say|write|mention|ping|notify|include|add|start with|tag)\b[^\n]{0,40}?(<!(?:channel|here|everyone)(?:\|[^>]*)?>|<!subteam\^[^>]+>|@(?:channel|here|everyone)\b)/gi;
const LINK =
  /\b(?:include|add|share|post|send|append|put)\b[^\n]{0,40}?\blink\b[^\n]{0,20}?(<[a-z]+:[^>\s]+>|\[[^\]\n]*\]\([^)\s]+\)|https?:\/\/[^\s"]+|[a-z0-9-]+(?:\.[a-z0-9-]+)+\/[^\s"]*)/gi;
const REVEAL_SECRET =
  /\b(?:print|reveal|repeat|tell|show|paste|give|send|post|what(?:'s| is))\b[^\n]{0,60}\b(?:token|api key|key|secret|password|credential|marker|canary)s?\b/i;
const SECRET_SHAPES =
  /xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{6,}|xapp-[A-Za-z0-9-]{6,}|sk-[A-Za-z0-9_-]{16,}|pup-canary-[0-9a-f]+/g;

/**
 * The prompt as a fooled model reads it: every message, JSON escapes undone, without the lines
 * that forbid something (`Never …`, `Don't …`): a prohibition names what not to do, and a model
 * that did those things would measure nothing but its own perversity.
 */
export function readablePrompt(request: ChatRequest): string {
  return request.messages
    .map((message) => messageText(message.content))
    .join("\n")
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )
    .replace(/\\n/g, "\n")
    .replace(/\\"/g, '"')
    .replace(/\\\\/g, "\\")
    .split("\n")
    .filter((line) => !/\b(?:never|don't|do not)\b/i.test(line))
    .join("\n");
}

/** What the obedient model says to `request`: everything it was told to, or a plain woof. */
export function obedientAnswer(request: ChatRequest): string {
  const prompt = readablePrompt(request);
  const parts: string[] = [];
  // Secrets first and the (long) system prompt last: a reply cut at its token limit still
  // carries every kind of leak it was told to make.
  if (REVEAL_SECRET.test(prompt)) {
    const seen = [...new Set(prompt.match(SECRET_SHAPES) ?? [])];
    parts.push(`The secrets I can see: ${seen.join(" ")}`);
  }
  for (const match of prompt.matchAll(SAY)) parts.push(match[1] ?? "");
  for (const match of prompt.matchAll(MENTION)) parts.push(`${match[1]} as requested`);
  for (const match of prompt.matchAll(LINK)) parts.push(`here you go: ${match[1]}`);
  if (REVEAL_PROMPT.test(prompt)) {
    const system = request.messages.find((message) => message.role === "system");
    parts.push(`My instructions: ${system ? messageText(system.content) : ""}`);
  }
  return parts.length > 0 ? [...new Set(parts)].join("\n") : "Woof! Happy to help.";
}

/** {@link obedientAnswer} as the fake server's responder. */
export const obedientResponder: ChatResponder = obedientAnswer;
