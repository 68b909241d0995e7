// A person's message as pup's features see it (events store it, replies answer it, the
// personality reads it), and the two readings of Slack's text and timestamps they share.
import type { ChannelVisibility } from "../ports/slack-vocabulary";

/** A person's message as memory and the reply decision need it. */
export interface IncomingMessage {
  teamId: string;
  channelId: string;
  /** Known from `channel_type` on `message` events; `app_mention` does not carry it. */
  visibility: ChannelVisibility | null;
  ts: string;
  /** The thread's root ts when the message is in a thread (not when it is the root). */
  threadTs: string | null;
  userId: string;
  /** Slack's text, with mrkdwn as sent. */
  text: string;
  postedAt: Date;
  /** Delivered as `app_mention`, or the text mentions pup's user. */
  mentionsPup: boolean;
  /**
   * The author's own workspace when Slack names it (`user_team`): another than `teamId` means
   * someone from another organisation in a shared channel, who recalls only where they are a member.
   */
  userTeamId?: string;
}

/** Slack timestamps are seconds with a microsecond fraction, e.g. `1700000000.123456`. */
export function slackTsToDate(ts: string): Date {
  const seconds = Number(ts);
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : new Date(Number.NaN);
}

/** The message's text without pup's own mention, trimmed (what the person asked pup). */
export function withoutPupMention(textValue: string, botUserId: string): string {
  return textValue.split(`<@${botUserId}>`).join("").replace(/\s+/g, " ").trim();
}
