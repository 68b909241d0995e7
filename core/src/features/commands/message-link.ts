/**
 * Which message a person means: a Slack permalink (`/pup forget <link>`), or the `channel:ts`
 * value of a Forget button. Both are read strictly: anything else means no message, never a
 * guess, because what follows is forgetting.
 */

/** One message of a conversation (the workspace is the caller's). */
export interface LinkedMessage {
  channelId: string;
  /** Slack's `1234567890.123456`. */
  ts: string;
}

/** Conversation ids: public (C), private or group DM (G), DM (D). */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const TS = /^\d{1,12}\.\d{6}$/;
const PERMALINK_PATH = /^\/archives\/([A-Z0-9]+)\/p(\d{7,18})$/;

/**
 * The message a Slack permalink points to: `https://<workspace>.slack.com/archives/<C>/p<ts
 * without its dot>`, optionally with `?thread_ts=…&cid=…` (a reply in a thread), as Slack's
 * "Copy link" gives it, or `https://slack.com/archives/…` as pup links it. Slack may send it
 * wrapped as `<url>` or `<url|label>`. Undefined for anything else.
 */
export function parseMessageLink(input: string): LinkedMessage | undefined {
  const trimmed = input.trim();
  const unwrapped = /^<([^<>|]+)(\|[^<>]*)?>$/.exec(trimmed)?.[1] ?? trimmed;
  let url: URL;
  try {
    url = new URL(unwrapped);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" || url.username || url.password || url.port) return undefined;
  const host = url.hostname.toLowerCase();
  if (host !== "slack.com" && !host.endsWith(".slack.com")) return undefined;
  const match = PERMALINK_PATH.exec(url.pathname);
  const [, channelId, digits] = match ?? [];
  if (!channelId || !digits || !CHANNEL_ID.test(channelId)) return undefined;
  const ts = `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  if (!TS.test(ts)) return undefined;
  const threadTs = url.searchParams.get("thread_ts");
  if (threadTs !== null && !TS.test(threadTs)) return undefined;
  return { channelId, ts };
}

/** A Forget button's value for one message. */
export function messageValue(message: LinkedMessage): string {
  return `${message.channelId}:${message.ts}`;
}

/** At most this many messages behind one button (a fact's sources). */
export const MAX_MESSAGES_PER_BUTTON = 20;

/**
 * The messages a Forget button's value names: `C:ts`, or several joined by `,` (a fact drawn
 * from several messages). Empty when any part is malformed or there are too many.
 */
export function parseMessageValues(value: string | undefined): LinkedMessage[] {
  if (!value) return [];
  const parts = value.split(",");
  if (parts.length > MAX_MESSAGES_PER_BUTTON) return [];
  const messages: LinkedMessage[] = [];
  for (const part of parts) {
    const [channelId, ts, extra] = part.trim().split(":");
    if (extra !== undefined || !channelId || !ts) return [];
    if (!CHANNEL_ID.test(channelId) || !TS.test(ts)) return [];
    messages.push({ channelId, ts });
  }
  return messages;
}
