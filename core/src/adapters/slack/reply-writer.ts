/**
 * One reply written into Slack piece by piece (the port's ReplyStream). Appends only change
 * local state; a single pump carries that state to Slack, one call at a time, so appends arriving
 * while a call is in flight coalesce into the next call. Two modes:
 * - stream: `chat.startStream`, then `chat.appendStream` with the new text, `chat.stopStream`;
 * - message: `chat.postMessage`, then `chat.update` with the whole text, spaced by an interval.
 * Text beyond the message limit moves into further messages in the same thread (reply-parts.ts).
 */

import { SlackCallError } from "../../ports/slack-errors";
import type { PostedMessage, ReplyStream, ReplyTarget } from "../../ports/slack-gateway";
import type { Logger } from "../pino/logger";
import type { ReplyApi, ReplyTiming } from "./reply-api";
import { currentPart, newPart, type Part, postedMessages, splitOverflow } from "./reply-parts";

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
    const current = currentPart(this.#parts);
    current.text += text;
    splitOverflow(this.#parts);
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
    currentPart(this.#parts).closed = true;
    this.#cancelTimer();
    await this.#drain();
    this.#throwIfFailed();
    return postedMessages(this.#parts, this.target.channelId);
  }

  mayHavePosted(): boolean {
    if (this.#parts.some((part) => part.ts !== null)) return true;
    // A call in flight may land; a call whose answer was lost may have landed.
    if (this.#pump !== undefined) return true;
    return (
      this.#failure !== undefined &&
      !(this.#failure instanceof SlackCallError && !this.#failure.ambiguous)
    );
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
        await this.api.stopStream(
          part.channelId ?? this.target.channelId,
          part.ts,
          "",
          this.target.sendKey,
        );
        part.done = true;
      } catch (error) {
        this.logger.warn(
          { err: error, channel: this.target.channelId, ts: part.ts, reason },
          "could not stop an aborted reply stream",
        );
      }
    }
  }

  #kick(): void {
    if (this.#pump || this.#state === "aborted") return;
    this.#pump = this.#run()
      .catch((error: unknown) => {
        this.#failure ??= error;
        this.logger.warn(
          {
            err: error,
            channel: this.target.channelId,
            posted: postedMessages(this.#parts, this.target.channelId).length,
          },
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
          await this.api.stopStream(channelId, part.ts, delta, this.target.sendKey);
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
      await this.api.update(channelId, part.ts, text, this.target.sendKey);
      part.shown = text;
      return 0;
    }
    if (!part.closed) return "idle";
    if (this.#mode === "stream") {
      await this.api.stopStream(channelId, part.ts, "", this.target.sendKey);
    }
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
    const posted = await this.api.postMessage(channelId, thread, text, this.target.sendKey);
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
