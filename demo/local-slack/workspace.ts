/**
 * The local Slack workspace: the state model behind every Web API method, free of HTTP. Method
 * handlers and the demo page both act on it through these operations, and every change is
 * published as a {@link WorkspaceEvent} so a page or a test can follow along live.
 */
import { EventHub } from "./event-hub";
import { MessageStore, type NewMessage, type SlackMessage } from "./message-store";
import { SlackApiError } from "./method-args";
import { SlackTimestampClock } from "./timestamps";
import {
  type NewChannel,
  type NewUser,
  type SlackConversation,
  type SlackUser,
  WorkspaceDirectory,
} from "./workspace-directory";
import type { AssistantThreadState, EphemeralMessage, WorkspaceEvent } from "./workspace-events";

/** The team and the bot pup runs as; `auth.test` answers with these. */
export interface WorkspaceIdentity {
  teamId: string;
  teamName: string;
  domain: string;
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
}

/** Options for {@link LocalWorkspace}; every field has a sensible default. */
export interface LocalWorkspaceOptions {
  identity?: Partial<WorkspaceIdentity>;
  /** Milliseconds since the epoch; pin it for deterministic timestamps. */
  now?: () => number;
}

const DEFAULT_IDENTITY: WorkspaceIdentity = {
  teamId: "T0FAKE0001",
  teamName: "Pup Test Workspace",
  domain: "pup-test",
  botUserId: "U0FAKEBOT1",
  botId: "B0FAKEBOT1",
  appId: "A0FAKEAPP1",
  botName: "pup",
};

/** One workspace's users, conversations, messages, views and assistant threads. */
export class LocalWorkspace {
  readonly identity: WorkspaceIdentity;
  readonly clock: SlackTimestampClock;
  readonly directory: WorkspaceDirectory;
  readonly messages: MessageStore;
  readonly events = new EventHub<WorkspaceEvent>();
  readonly ephemerals: EphemeralMessage[] = [];
  /** Published App Home views, by user id. */
  readonly views = new Map<string, Record<string, unknown>>();
  /** Assistant thread state, by `channel:thread_ts`. */
  readonly assistantThreads = new Map<string, AssistantThreadState>();

  constructor(options: LocalWorkspaceOptions = {}) {
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    this.clock = new SlackTimestampClock(options.now);
    this.directory = new WorkspaceDirectory(this.identity.teamId, () => this.clock.nowSeconds());
    this.messages = new MessageStore(this.clock);
    const { botUserId, botName, botId } = this.identity;
    this.directory.addUser({ id: botUserId, name: botName, isBot: true, botId });
  }

  /** Seeds a user (see {@link NewUser}). */
  addUser(user: NewUser): SlackUser {
    return this.directory.addUser(user);
  }

  /** Seeds a conversation (see {@link NewChannel}). */
  addChannel(channel: NewChannel): SlackConversation {
    return this.directory.addChannel(channel);
  }

  /** Resolves a `channel` argument: an id, a name, or a user id meaning "the DM with them". */
  conversation(idOrName: string): SlackConversation {
    const found = this.directory.findChannel(idOrName);
    if (found) return found;
    if (/^[UW]/.test(idOrName) && this.directory.findUser(idOrName)) {
      return this.directory.openDm(idOrName, this.identity.botUserId);
    }
    throw new SlackApiError("channel_not_found");
  }

  /** The user with this id; `user_not_found` otherwise. */
  user(id: string): SlackUser {
    const user = this.directory.findUser(id);
    if (!user) throw new SlackApiError("user_not_found");
    return user;
  }

  /** Posts a message (by the bot or, from a demo page, by a person) and announces it. */
  postMessage(channel: string, message: NewMessage): SlackMessage {
    const posted = this.messages.post(channel, message);
    this.events.publish({ type: "message_posted", channel, message: posted });
    return posted;
  }

  /** Applies `change` to an existing message, marks it edited, and announces it. */
  updateMessage(
    channel: string,
    ts: string,
    change: Partial<NewMessage>,
    editor: string,
  ): SlackMessage {
    const message = this.messages.get(channel, ts);
    Object.assign(message, change);
    message.edited = { user: editor, ts: this.clock.next() };
    this.events.publish({ type: "message_changed", channel, message });
    return message;
  }

  /** Changes a message without marking it edited (streaming appends are not edits). */
  amendMessage(channel: string, ts: string, change: Partial<NewMessage>): SlackMessage {
    const message = this.messages.get(channel, ts);
    Object.assign(message, change);
    this.events.publish({ type: "message_changed", channel, message });
    return message;
  }

  /** Adds a reaction by `user`; `already_reacted` when it exists. */
  addReaction(channel: string, ts: string, name: string, user: string): void {
    this.messages.addReaction(channel, ts, name, user);
    this.events.publish({ type: "reaction_added", channel, ts, name, user });
  }

  /** Removes a reaction by `user`; `no_reaction` when there is none. */
  removeReaction(channel: string, ts: string, name: string, user: string): void {
    this.messages.removeReaction(channel, ts, name, user);
    this.events.publish({ type: "reaction_removed", channel, ts, name, user });
  }

  /** Stores an ephemeral message for one user; it never appears in history. */
  postEphemeral(channel: string, user: string, message: NewMessage): EphemeralMessage {
    const ephemeral = {
      channel,
      user,
      message: { ...message, type: "message" as const, ts: this.clock.next() },
    };
    this.ephemerals.push(ephemeral);
    this.events.publish({ type: "ephemeral_posted", ephemeral });
    return ephemeral;
  }

  /**
   * Replaces what `user`'s ephemeral message `ts` says, keeping its place (a `replace_original`
   * answer to a button in it); `undefined` when there is no such ephemeral.
   */
  replaceEphemeral(
    channel: string,
    user: string,
    ts: string,
    message: NewMessage,
  ): EphemeralMessage | undefined {
    const index = this.ephemerals.findIndex(
      (e) => e.channel === channel && e.user === user && e.message.ts === ts,
    );
    const previous = this.ephemerals[index];
    if (!previous) return undefined;
    const threadTs = previous.message.thread_ts;
    const ephemeral = {
      channel,
      user,
      message: {
        ...message,
        type: "message" as const,
        ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
    };
    this.ephemerals[index] = ephemeral;
    this.events.publish({ type: "ephemeral_replaced", ephemeral });
    return ephemeral;
  }

  /** Replaces `user`'s App Home view. */
  publishView(user: string, view: Record<string, unknown>): void {
    this.views.set(user, view);
    this.events.publish({ type: "view_published", user, view });
  }

  /** Merges `change` into an assistant thread's state. */
  updateAssistantThread(
    channel: string,
    threadTs: string,
    change: Partial<AssistantThreadState>,
  ): AssistantThreadState {
    const key = `${channel}:${threadTs}`;
    const thread = {
      ...this.assistantThreads.get(key),
      ...change,
      channel_id: channel,
      thread_ts: threadTs,
    };
    this.assistantThreads.set(key, thread);
    this.events.publish({ type: "assistant_thread_changed", thread });
    return thread;
  }

  /** Forgets everything that happened (messages, reactions, views…) but keeps users and channels. */
  clearActivity(): void {
    this.messages.clear();
    this.ephemerals.length = 0;
    this.views.clear();
    this.assistantThreads.clear();
  }
}
