/**
 * One reply written into Slack piece by piece (the port's ReplyStream). Appends only change
 * local state; a single pump carries that state to Slack, one call at a time, so appends arriving
 * while a call is in flight coalesce into the next call. Two modes:
 * - stream: `chat.startStream`, then `chat.appendStream` with the new text, `chat.stopStream`;
 * - message: `chat.postMessage`, then `chat.update` with the whole text, spaced by an interval.
 * Text beyond {@link MESSAGE_TEXT_LIMIT} moves into further messages in the same thread.
 */

import type { PostedMessage, ReplyStream, ReplyTarget } from "../../ports/slack-gateway";
import type { Logger } from "../pino/logger";
import { MESSAGE_TEXT_LIMIT, splitAt } from "./split";

/** The Slack calls a reply needs; the gateway provides them (with error wrapping). */
export interface ReplyApi {
  /** Whether streams are still worth trying with this gateway. */
  streamsAvailable(): boolean;
  /** `chat.startStream`; `undefined` when Slack does not offer streams (remembered). */
  startStream(target: StreamStart): Promise<PostedMessage | undefined>;
  appendStream(channelId: string, ts: string, text: string): Promise<void>;
  stopStream(channelId: string, ts: string, text: string): Promise<void>;
  postMessage(channelId: string, threadTs: string | null, text: string): Promise<PostedMessage>;
  update(channelId: string, ts: string, text: string): Promise<void>;
}

/** What `chat.startStream` needs. */
export interface StreamStart {
  channelId: string;
  threadTs: string;
  text: string;
  recipientTeamId: string | null;
  recipientUserId: string | null;
}

/** Timing of a reply. */
export interface ReplyTiming {
  /** Least time between two `chat.update`s of one reply. */
  updateIntervalMs: number;
  /** Least time between two `chat.appendStream`s of one reply. */
  streamIntervalMs: number;
  /** How long the first text waits for more before the first call (0: at once). */
  firstSendDelayMs?: number;
  now: () => number;
}

/** One Slack message of the reply. */
interface Part {
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

type Mode = "stream" | "message";

/** A reply in progress; see the module comment. */
export class ReplyWriter implements ReplyStream {
  readonly #parts: Part[] = [newPart()];
  #mode: Mode | undefined;
  #lastUpdateAt = Number.NEGATIVE_INFINITY;
  #lastAppendAt = Number.NEGATIVE_INFINITY;
  #firstTextAt: number | undefined;
  #pump: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #finishing = false;
  #state: "open" | "finished" | "aborted" = "open";
  #failure: unknown;
  #finished: Promise<PostedMessage[]> | undefined;

  constructor(
    private readonly api: ReplyApi,
    private readonly target: ReplyTarget,
    private readonly timing: ReplyTiming,
    private readonly logger: Logger,
  ) {
    // Streams need a thread, and outside a DM a recipient; otherwise post and update.
    const dm = target.channelId.startsWith("D");
    const streamable = target.threadTs !== null && (dm || target.recipientUserId !== null);
    if (!streamable || !api.streamsAvailable()) this.#mode = "message";
  }

  async append(text: string): Promise<void> {
    this.#throwIfFailed();
    if (this.#state !== "open") throw new Error(`append after the reply was ${this.#state}`);
    if (text === "") return;
    this.#firstTextAt ??= this.timing.now();
    const current = this.#current();
    current.text += text;
    this.#splitOverflow();
    this.#kick();
  }

  finish(): Promise<PostedMessage[]> {
    this.#finished ??= this.#finish();
    return this.#finished;
  }

  async #finish(): Promise<PostedMessage[]> {
    if (this.#state === "aborted") throw new Error("finish after the reply was aborted");
    this.#state = "finished";
    this.#finishing = true;
    this.#current().closed = true;
    this.#cancelTimer();
    await this.#drain();
    this.#throwIfFailed();
    return this.#posted();
  }

  async abort(reason: string): Promise<void> {
    if (this.#state !== "open") return;
    this.#state = "aborted";
    this.#cancelTimer();
    // Let a call in flight land so its message is known, then send nothing more but the stop.
    await this.#pump?.catch(() => {});
    if (this.#mode !== "stream") return;
    for (const part of this.#parts) {
      if (part.ts === null || part.done) continue;
      try {
        await this.api.stopStream(part.channelId ?? this.target.channelId, part.ts, "");
        part.done = true;
      } catch (error) {
        this.logger.warn(
          { err: error, channel: this.target.channelId, ts: part.ts, reason },
          "could not stop an aborted reply stream",
        );
      }
    }
  }

  /** Messages posted so far, in order. */
  #posted(): PostedMessage[] {
    return this.#parts.flatMap((part) =>
      part.ts === null ? [] : [{ channelId: part.channelId ?? this.target.channelId, ts: part.ts }],
    );
  }

  #current(): Part {
    const last = this.#parts.at(-1);
    if (last && !last.closed) return last;
    const part = newPart();
    this.#parts.push(part);
    return part;
  }

  /** Closes the current part at a good boundary while it is too long; the rest opens the next. */
  #splitOverflow(): void {
    let current = this.#current();
    while (current.text.length > MESSAGE_TEXT_LIMIT) {
      const { head, rest } = splitAt(current.text, MESSAGE_TEXT_LIMIT, current.committed);
      current.text = head;
      current.closed = true;
      current = newPart();
      current.text = rest;
      this.#parts.push(current);
    }
  }

  #kick(): void {
    if (this.#pump || this.#state === "aborted") return;
    this.#pump = this.#run()
      .catch((error: unknown) => {
        this.#failure ??= error;
        this.logger.warn(
          { err: error, channel: this.target.channelId, posted: this.#posted().length },
          "a reply could not be written to Slack",
        );
      })
      .finally(() => {
        this.#pump = undefined;
      });
  }

  /** Waits until nothing is left to send (only used once finishing: throttles then sleep). */
  async #drain(): Promise<void> {
    while (this.#pump) await this.#pump;
    if (this.#failure !== undefined) return;
    this.#kick();
    while (this.#pump) await this.#pump;
  }

  /** Sends calls until Slack is up to date, or until the next call must wait (then a timer). */
  async #run(): Promise<void> {
    for (;;) {
      if (this.#state === "aborted" || this.#failure !== undefined) return;
      const part = this.#parts.find((p) => !p.done);
      if (!part) return;
      const waitMs = await this.#step(part);
      if (waitMs === "idle") return;
      if (waitMs > 0) {
        if (!this.#finishing) {
          this.#schedule(waitMs);
          return;
        }
        await sleep(waitMs);
      }
    }
  }

  /**
   * Makes one call for `part`, or says how long the next call must wait, or "idle" when the part
   * is up to date and still open.
   */
  async #step(part: Part): Promise<number | "idle"> {
    const channelId = part.channelId ?? this.target.channelId;
    const blank = part.text.trim() === "";
    if (part.ts === null) {
      if (blank) {
        if (!part.closed) return "idle";
        part.done = true;
        return 0;
      }
      const delay = this.timing.firstSendDelayMs ?? 0;
      if (!part.closed && part === this.#parts[0] && delay > 0) {
        const wait = (this.#firstTextAt ?? this.timing.now()) + delay - this.timing.now();
        if (wait > 0) return wait;
      }
      await this.#start(part);
      return 0;
    }
    if (part.shown !== part.text) {
      const now = this.timing.now();
      if (this.#mode === "stream") {
        const delta = part.text.slice(part.shown.length);
        const text = part.text;
        part.committed = text.length;
        if (part.closed) {
          await this.api.stopStream(channelId, part.ts, delta);
          part.shown = text;
          part.done = true;
          return 0;
        }
        const wait = this.#lastAppendAt + this.timing.streamIntervalMs - now;
        if (wait > 0) return wait;
        this.#lastAppendAt = now;
        await this.api.appendStream(channelId, part.ts, delta);
        part.shown = text;
        return 0;
      }
      const wait = this.#lastUpdateAt + this.timing.updateIntervalMs - now;
      if (wait > 0) return wait;
      this.#lastUpdateAt = now;
      const text = part.text;
      part.committed = text.length;
      await this.api.update(channelId, part.ts, text);
      part.shown = text;
      return 0;
    }
    if (!part.closed) return "idle";
    if (this.#mode === "stream") await this.api.stopStream(channelId, part.ts, "");
    part.done = true;
    return 0;
  }

  /** Posts (or starts streaming) a part's first text. */
  async #start(part: Part): Promise<void> {
    const { channelId, threadTs, teamId, recipientUserId } = this.target;
    const text = part.text;
    part.committed = text.length;
    // Parts after the first go into the reply's thread (the first message's, if it started one).
    const thread = threadTs ?? this.#parts[0]?.ts ?? null;
    // A part whose whole text is known needs no stream: one post says it all.
    if (this.#mode !== "message" && thread !== null && !part.closed) {
      const started = await this.api.startStream({
        channelId,
        threadTs: thread,
        text,
        recipientTeamId: teamId,
        recipientUserId,
      });
      if (started) {
        this.#mode = "stream";
        this.#lastAppendAt = this.timing.now();
        part.ts = started.ts;
        part.channelId = started.channelId;
        part.shown = text;
        return;
      }
    }
    this.#mode = "message";
    const posted = await this.api.postMessage(channelId, thread, text);
    part.ts = posted.ts;
    part.channelId = posted.channelId;
    part.shown = text;
  }

  #schedule(waitMs: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#kick();
    }, waitMs);
  }

  #cancelTimer(): void {
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

function newPart(): Part {
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
