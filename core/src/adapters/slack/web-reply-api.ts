/**
 * The Slack calls a reply makes ({@link ReplyApi}), over the gateway's write client: streams
 * (`chat.startStream`, `chat.appendStream`, `chat.stopStream`) while Slack offers them to this
 * app, and `chat.postMessage` and `chat.update` otherwise. Once Slack says streams are not
 * offered here, the gateway stops asking.
 */
import type { WebClient } from "@slack/web-api";
import type { PostedMessage } from "../../ports/slack-gateway";
import type { Logger } from "../pino/logger";
import { SlackCallError } from "./errors";
import type { ReplyApi, StreamStart } from "./reply-api";
import { replyMetadata } from "./reply-metadata";
import { requireTs, type SlackCalls } from "./slack-calls";

/** Slack's answers to `chat.startStream` when streaming is not offered to this app. */
const STREAMS_UNAVAILABLE = new Set(["unknown_method", "not_allowed", "not_allowed_token_type"]);

/** One gateway's reply calls; it remembers whether streams are available. */
export class WebReplyApi implements ReplyApi {
  #streamsAvailable = true;

  constructor(
    private readonly writes: WebClient,
    private readonly calls: SlackCalls,
    private readonly logger: Logger,
  ) {}

  streamsAvailable(): boolean {
    return this.#streamsAvailable;
  }

  async startStream(start: StreamStart): Promise<PostedMessage | undefined> {
    if (!this.#streamsAvailable || typeof this.writes.chat.startStream !== "function") {
      this.#streamsAvailable = false;
      return undefined;
    }
    const dm = start.channelId.startsWith("D");
    try {
      const result = await this.calls.call("chat.startStream", () =>
        this.writes.chat.startStream({
          channel: start.channelId,
          thread_ts: start.threadTs,
          markdown_text: start.text,
          ...(!dm && start.recipientUserId && start.recipientTeamId
            ? { recipient_user_id: start.recipientUserId, recipient_team_id: start.recipientTeamId }
            : {}),
        }),
      );
      return {
        channelId: result.channel ?? start.channelId,
        ts: requireTs(result.ts, "chat.startStream"),
      };
    } catch (error) {
      if (error instanceof SlackCallError && STREAMS_UNAVAILABLE.has(error.slackError)) {
        if (this.#streamsAvailable) {
          this.logger.info(
            { slackError: error.slackError },
            "Slack does not offer chat.startStream here; replying with post and update",
          );
        }
        this.#streamsAvailable = false;
        return undefined;
      }
      throw error;
    }
  }

  async appendStream(channel: string, ts: string, text: string): Promise<void> {
    await this.calls.call("chat.appendStream", () =>
      this.writes.chat.appendStream({ channel, ts, markdown_text: text }),
    );
  }

  async stopStream(channel: string, ts: string, text: string, sendKey?: string | null) {
    await this.calls.call("chat.stopStream", () =>
      this.writes.chat.stopStream({
        channel,
        ts,
        ...(text !== "" ? { markdown_text: text } : {}),
        // chat.startStream takes no metadata; the stop marks the finished message.
        ...replyMetadata(sendKey),
      }),
    );
  }

  async postMessage(
    channel: string,
    threadTs: string | null,
    text: string,
    sendKey?: string | null,
  ) {
    const result = await this.calls.call("chat.postMessage", () =>
      this.writes.chat.postMessage({
        channel,
        text,
        ...(threadTs !== null ? { thread_ts: threadTs } : {}),
        // No previews: a link preview shows what the linked page says about itself, and pup
        // never vouches for that (ADR-023). chat.update and streams take no such flags; the
        // message they change was posted without unfurls, and only allowed hosts are linked.
        unfurl_links: false,
        unfurl_media: false,
        ...replyMetadata(sendKey),
      }),
    );
    return { channelId: result.channel ?? channel, ts: requireTs(result.ts, "chat.postMessage") };
  }

  async update(channel: string, ts: string, text: string, sendKey?: string | null) {
    await this.calls.call("chat.update", () =>
      this.writes.chat.update({ channel, ts, text, ...replyMetadata(sendKey) }),
    );
  }
}
