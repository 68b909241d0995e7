/**
 * The messages of every conversation, with threads and reactions, stored in the JSON shape the Web
 * API returns them in (so `conversations.history` can hand them out as they are). Thread parents
 * carry Slack's summary fields (`reply_count`, `reply_users`, `latest_reply`), kept current on
 * every reply.
 */
import { SlackApiError } from "./method-args";
import { compareSlackTs, type SlackTimestampClock } from "./timestamps";

/** What a message carries besides `type` and `ts`; extra Slack fields are kept as given. */
export interface NewMessage {
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  subtype?: string;
  blocks?: unknown[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: { name: string; users: string[]; count: number }[];
  metadata?: unknown;
  [field: string]: unknown;
}

/** One message as the Web API shows it. */
export interface SlackMessage extends NewMessage {
  type: "message";
  ts: string;
}

/** Messages per conversation, always in timestamp order. */
export class MessageStore {
  readonly #byChannel = new Map<string, SlackMessage[]>();

  constructor(private readonly clock: SlackTimestampClock) {}

  /** Appends a message (a thread reply when `thread_ts` is set) and returns it. */
  post(channel: string, input: NewMessage): SlackMessage {
    const parent = input.thread_ts ? this.find(channel, input.thread_ts) : undefined;
    if (input.thread_ts && !parent) throw new SlackApiError("thread_not_found");
    const message: SlackMessage = { ...input, type: "message", ts: this.clock.next() };
    if (parent) {
      // Replies to a reply belong to the same thread as that reply.
      const rootTs = parent.thread_ts ?? parent.ts;
      const root = this.find(channel, rootTs) ?? parent;
      message.thread_ts = root.ts;
      if (root.user) message.parent_user_id = root.user;
      recordReply(root, message);
    }
    this.#messages(channel).push(message);
    return message;
  }

  /** The message with this `ts` in `channel`, or `undefined`. */
  find(channel: string, ts: string): SlackMessage | undefined {
    return this.#byChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /** Like {@link find} but answers `message_not_found` the way Slack does. */
  get(channel: string, ts: string): SlackMessage {
    const message = this.find(channel, ts);
    if (!message) throw new SlackApiError("message_not_found");
    return message;
  }

  /** Messages shown in the channel itself: top-level ones and broadcast replies, oldest first. */
  channelTimeline(channel: string): SlackMessage[] {
    return this.#messages(channel).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === "thread_broadcast",
    );
  }

  /** The parent and its replies, oldest first; `thread_not_found` when there is no such message. */
  thread(channel: string, ts: string): SlackMessage[] {
    const message = this.find(channel, ts);
    if (!message) throw new SlackApiError("thread_not_found");
    const rootTs = message.thread_ts ?? message.ts;
    const root = this.find(channel, rootTs) ?? message;
    return [root, ...this.#messages(channel).filter((m) => m.thread_ts === rootTs && m !== root)];
  }

  /** Every message of every channel (for inspection in tests and the demo). */
  all(): { channel: string; message: SlackMessage }[] {
    return [...this.#byChannel].flatMap(([channel, list]) =>
      list.map((message) => ({ channel, message })),
    );
  }

  /** Adds `user`'s reaction; `already_reacted` when it is there. */
  addReaction(channel: string, ts: string, name: string, user: string): SlackMessage {
    const message = this.get(channel, ts);
    const reactions = message.reactions ?? [];
    const existing = reactions.find((r) => r.name === name);
    if (existing?.users.includes(user)) throw new SlackApiError("already_reacted");
    if (existing) {
      existing.users.push(user);
      existing.count = existing.users.length;
    } else {
      reactions.push({ name, users: [user], count: 1 });
    }
    message.reactions = reactions;
    return message;
  }

  /** Removes `user`'s reaction; `no_reaction` when there is none. */
  removeReaction(channel: string, ts: string, name: string, user: string): SlackMessage {
    const message = this.get(channel, ts);
    const existing = message.reactions?.find((r) => r.name === name);
    if (!existing?.users.includes(user)) throw new SlackApiError("no_reaction");
    existing.users = existing.users.filter((u) => u !== user);
    existing.count = existing.users.length;
    message.reactions = message.reactions?.filter((r) => r.count > 0);
    if (message.reactions?.length === 0) delete message.reactions;
    return message;
  }

  /** Forgets every message. */
  clear(): void {
    this.#byChannel.clear();
  }

  #messages(channel: string): SlackMessage[] {
    let list = this.#byChannel.get(channel);
    if (!list) {
      list = [];
      this.#byChannel.set(channel, list);
    }
    return list;
  }
}

function recordReply(root: SlackMessage, reply: SlackMessage): void {
  root.thread_ts = root.ts;
  root.reply_count = (root.reply_count ?? 0) + 1;
  const author = reply.user ?? reply.bot_id;
  const users = root.reply_users ?? [];
  if (author && !users.includes(author)) users.push(author);
  root.reply_users = users;
  root.reply_users_count = users.length;
  if (!root.latest_reply || compareSlackTs(reply.ts, root.latest_reply) > 0) {
    root.latest_reply = reply.ts;
  }
}
