/**
 * `conversations.replies` with `include_all_metadata`: the messages of one thread after a given
 * ts, every page, mapped to the port's {@link ThreadMessage}. Claim recovery reads it to learn
 * whether pup's answer under a send key reached Slack before a crash (ADR-011, issue 14).
 */
import type { WebClient } from "@slack/web-api";
import type { ThreadMessage } from "../../ports/slack-gateway";
import type { Logger } from "../pino/logger";
import type { SlackCalls } from "./slack-calls";

/** Pages read at most: a thread longer than this many answers is cut off (and logged). */
const MAX_PAGES = 20;
const PAGE_SIZE = 200;
/** A thread (or its channel) that is gone holds no answer. */
const NO_THREAD = new Set(["thread_not_found", "channel_not_found", "message_not_found"]);

export async function readThreadMessages(
  reads: WebClient,
  calls: SlackCalls,
  logger: Logger,
  thread: { channelId: string; threadTs: string; afterTs: string },
): Promise<ThreadMessage[]> {
  const found: ThreadMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await calls.lookup("conversations.replies", NO_THREAD, () =>
      reads.conversations.replies({
        channel: thread.channelId,
        ts: thread.threadTs,
        oldest: thread.afterTs,
        inclusive: false,
        include_all_metadata: true,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
    );
    for (const message of answer?.messages ?? []) {
      // Slack always lists the parent first, whatever `oldest` says.
      if (!message.ts || !(Number(message.ts) > Number(thread.afterTs))) continue;
      const metadata = message.metadata;
      found.push({
        ts: message.ts,
        userId: message.user ?? null,
        botId: message.bot_id ?? null,
        metadata: metadata?.event_type
          ? {
              eventType: metadata.event_type,
              payload: (metadata.event_payload ?? {}) as Record<string, unknown>,
            }
          : null,
      });
    }
    cursor = answer?.response_metadata?.next_cursor || undefined;
    if (!cursor) return found;
  }
  logger.warn({ ...thread, pages: MAX_PAGES }, "thread read cut off after the page limit");
  return found;
}
