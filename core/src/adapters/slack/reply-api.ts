/**
 * What a ReplyWriter (reply-writer.ts) needs from the gateway: the Slack calls one reply makes
 * and how they are spaced in time. The gateway implements the calls (web-reply-api.ts).
 */
import type { PostedMessage } from "../../ports/slack-gateway";

/** The Slack calls a reply needs; the gateway provides them (with error wrapping). */
export interface ReplyApi {
  /** Whether streams are still worth trying with this gateway. */
  streamsAvailable(): boolean;
  /** `chat.startStream`; `undefined` when Slack does not offer streams (remembered). */
  startStream(target: StreamStart): Promise<PostedMessage | undefined>;
  appendStream(channelId: string, ts: string, text: string): Promise<void>;
  /** `sendKey` (here and below): the reply's, carried as `pup_reply` metadata (reply-metadata.ts). */
  stopStream(channelId: string, ts: string, text: string, sendKey?: string | null): Promise<void>;
  postMessage(
    channelId: string,
    threadTs: string | null,
    text: string,
    sendKey?: string | null,
  ): Promise<PostedMessage>;
  update(channelId: string, ts: string, text: string, sendKey?: string | null): Promise<void>;
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
