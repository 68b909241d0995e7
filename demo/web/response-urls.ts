/**
 * `response_url`s of slash commands and button presses: each gets a fresh, unguessable URL on
 * this server that, like Slack's, accepts a few answers for a while (5 uses in 30 minutes) and
 * shows them in the conversation it came from (ephemeral unless `response_type: in_channel`);
 * a press's answer with `replace_original` replaces the message the button was in.
 */
import type { LocalWorkspace } from "../local-slack/index";
import { authorFields } from "../local-slack/message-content";
import type { Caller } from "../local-slack/slack-api";

/** Where a command was run or a button pressed; its answers go there. */
export interface CommandOrigin {
  channel: string;
  user: string;
  threadTs?: string;
  /** The message holding the pressed button: what `replace_original` replaces. */
  original?: { ts: string; ephemeral: boolean };
}

interface Entry extends CommandOrigin {
  usesLeft: number;
  expiresAt: number;
}

const USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

/** Issued response URLs by id. */
export class ResponseUrls {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Issues an id for a new command. */
  issue(origin: CommandOrigin): string {
    this.#sweep();
    const id = crypto.randomUUID().replaceAll("-", "");
    this.#entries.set(id, { ...origin, usesLeft: USES, expiresAt: this.now() + LIFETIME_MS });
    return id;
  }

  /** Uses one answer of `id`; `undefined` when it is unknown, used up or expired. */
  use(id: string): CommandOrigin | undefined {
    const entry = this.#entries.get(id);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    entry.usesLeft -= 1;
    if (entry.usesLeft === 0) this.#entries.delete(id);
    const { usesLeft: _uses, expiresAt: _expires, ...origin } = entry;
    return origin;
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(id);
  }
}

/** An answer posted to a `response_url`, as Slack documents its JSON. */
export interface ResponseAnswer {
  text?: unknown;
  response_type?: unknown;
  blocks?: unknown;
  replace_original?: unknown;
}

/**
 * Shows `answer` where `origin` says, as `bot` (pup). With `replace_original` (a button press's
 * answer) it takes the place of the message the button was in; otherwise it is a new message,
 * ephemeral unless `response_type: in_channel`.
 */
export function showAnswer(
  workspace: LocalWorkspace,
  bot: Caller,
  origin: CommandOrigin,
  answer: ResponseAnswer,
): void {
  const replacement = {
    ...authorFields(workspace, bot),
    text: typeof answer.text === "string" ? answer.text : "",
    ...(Array.isArray(answer.blocks) ? { blocks: answer.blocks } : {}),
  };
  const { original } = origin;
  if (original && (answer.replace_original === true || answer.replace_original === "true")) {
    if (!original.ephemeral && workspace.messages.find(origin.channel, original.ts)) {
      // Blocks the answer leaves out go: the message says only what the answer says.
      workspace.amendMessage(origin.channel, original.ts, { blocks: undefined, ...replacement });
      return;
    }
    if (workspace.replaceEphemeral(origin.channel, origin.user, original.ts, replacement)) return;
  }
  const content = { ...replacement, ...(origin.threadTs ? { thread_ts: origin.threadTs } : {}) };
  if (answer.response_type === "in_channel") workspace.postMessage(origin.channel, content);
  else workspace.postEphemeral(origin.channel, origin.user, content);
}
