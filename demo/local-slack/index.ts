/**
 * A local Slack Web API for tests: `startFakeSlack()` serves every method pup may call on a
 * loopback port, so the real `@slack/web-api` client can be pointed at it with
 * `slackApiUrl: fake.url`. The workspace state, the call record and planned faults are all
 * reachable from the returned handle.
 */
import { CallLog, type RecordedCall } from "./call-log";
import { type Fault, FaultPlan } from "./faults";
import { serveSlackApi } from "./http-transport";
import { allMethods } from "./methods/index";
import { SlackApi } from "./slack-api";
import { FakeWorkspace, type FakeWorkspaceOptions } from "./workspace";
import type { NewChannel, NewUser, SlackConversation, SlackUser } from "./workspace-directory";
import type { WorkspaceEvent } from "./workspace-events";

export type { RecordedCall } from "./call-log";
export type { Fault } from "./faults";
export type { SlackMessage } from "./message-store";
export type { FakeWorkspace, WorkspaceIdentity } from "./workspace";
export type { ConversationVisibility, NewChannel, NewUser } from "./workspace-directory";
export type { AssistantThreadState, EphemeralMessage, WorkspaceEvent } from "./workspace-events";

/** Options for {@link startFakeSlack}. */
export interface FakeSlackOptions extends FakeWorkspaceOptions {
  /** The bot token the fake accepts; default `xoxb-fake-pup-bot-token`. */
  token?: string;
  /** More accepted tokens: as the bot, or (with `userId`) as that user. */
  additionalTokens?: { token: string; userId?: string }[];
  /** Users to seed. */
  users?: NewUser[];
  /** Conversations to seed. */
  channels?: NewChannel[];
  /** Listen address; default 127.0.0.1. */
  hostname?: string;
  /** Listen port; default 0 (any free port). */
  port?: number;
}

/** Everything a feed subscriber sees: workspace changes and each recorded API call. */
export type FakeSlackEvent = WorkspaceEvent | { type: "api_call"; call: RecordedCall };

/** A running fake Slack. */
export interface FakeSlack {
  /** Web API base URL, ending in `/api/`: pass it as the WebClient's `slackApiUrl`. */
  readonly url: string;
  /** The bot token the fake accepts. */
  readonly token: string;
  /** The state model (users, channels, messages, views, assistant threads). */
  readonly workspace: FakeWorkspace;
  /** Every call received so far, oldest first. */
  readonly calls: readonly RecordedCall[];
  /** Calls to one method, oldest first. */
  callsTo(method: string): RecordedCall[];
  /** Seeds a user. */
  addUser(user: NewUser): SlackUser;
  /** Seeds a conversation, e.g. `{ id: "C1", name: "general", visibility: "public" }`. */
  addChannel(channel: NewChannel): SlackConversation;
  /** Makes the next `times` (default 1) calls to `method` (`"*"`: any method) fail with `fault`. */
  failNext(method: string, fault: Fault, times?: number): void;
  /** Follows everything that happens; returns the unsubscribe function. */
  subscribe(listener: (event: FakeSlackEvent) => void): () => void;
  /** Forgets calls, planned faults and activity (messages, reactions, views); keeps users and channels. */
  reset(): void;
  /** Stops the server and drops open connections. */
  stop(): Promise<void>;
}

const DEFAULT_TOKEN = "xoxb-fake-pup-bot-token";

/** Starts a fake Slack Web API server on loopback. */
export function startFakeSlack(options: FakeSlackOptions = {}): FakeSlack {
  const workspace = new FakeWorkspace(options);
  for (const user of options.users ?? []) workspace.addUser(user);
  for (const channel of options.channels ?? []) workspace.addChannel(channel);

  const api = new SlackApi(workspace, allMethods);
  const token = options.token ?? DEFAULT_TOKEN;
  api.allowToken(token);
  for (const extra of options.additionalTokens ?? []) api.allowToken(extra.token, extra.userId);

  const calls = new CallLog();
  const faults = new FaultPlan();
  const server = serveSlackApi({
    api,
    calls,
    faults,
    hostname: options.hostname,
    port: options.port,
  });
  const url = `http://${server.hostname}:${server.port}/api/`;

  return {
    url,
    token,
    workspace,
    get calls() {
      return calls.all();
    },
    callsTo: (method) => calls.to(method),
    addUser: (user) => workspace.addUser(user),
    addChannel: (channel) => workspace.addChannel(channel),
    failNext: (method, fault, times) => faults.failNext(method, fault, times),
    subscribe(listener) {
      const stopWorkspace = workspace.events.subscribe(listener);
      const stopCalls = calls.events.subscribe((call) => listener({ type: "api_call", call }));
      return () => {
        stopWorkspace();
        stopCalls();
      };
    },
    reset() {
      calls.clear();
      faults.clear();
      workspace.clearActivity();
    },
    stop: () => server.stop(true),
  };
}
