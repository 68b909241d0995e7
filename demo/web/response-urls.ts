/**
 * `response_url`s of slash commands and button presses: each gets a fresh, unguessable URL on
 * this server that, like Slack's, accepts a few answers for a while (5 uses in 30 minutes) and
 * shows them in the conversation it came from (ephemeral unless `response_type: in_channel`);
 * a press's answer with `replace_original` replaces the message the button was in.
 */

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
