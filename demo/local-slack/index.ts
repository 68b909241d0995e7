/**
 * A local Slack Web API: `startLocalSlack()` serves every method pup may call on a loopback
 * port, so the real `@slack/web-api` client can be pointed at it with `slackApiUrl: slack.url`.
 * The demo mounts the same pieces in its page server (see demo/web); tests use this whole
 * server, through test/fakes/slack which adds planned faults via the `intercept` hook.
 */
import { CallLog, type RecordedCall } from "./call-log";
import { type ApiInterceptor, serveSlackApi } from "./http-transport";
import { allMethods } from "./methods/index";
import { SlackApi } from "./slack-api";
import { LocalWorkspace, type LocalWorkspaceOptions } from "./workspace";
import type { NewChannel, NewUser, SlackConversation, SlackUser } from "./workspace-directory";
import type { WorkspaceEvent } from "./workspace-events";

export { CallLog, type RecordedCall } from "./call-log";
export {
  type ApiExchange,
  type ApiInterceptor,
  createApiHandler,
  serveSlackApi,
  slackJson,
} from "./http-transport";
export type { NewMessage, SlackMessage } from "./message-store";
export { allMethods } from "./methods/index";
export { SlackApi, type SlackResponseBody } from "./slack-api";
export { compareSlackTs } from "./timestamps";
export { LocalWorkspace, type LocalWorkspaceOptions, type WorkspaceIdentity } from "./workspace";
export type {
  ConversationVisibility,
  NewChannel,
  NewUser,
  SlackConversation,
  SlackUser,
} from "./workspace-directory";
export type { AssistantThreadState, EphemeralMessage, WorkspaceEvent } from "./workspace-events";

/** Options for {@link startLocalSlack}. */
export interface LocalSlackOptions<Interference = never> extends LocalWorkspaceOptions {
  /** The bot token accepted; default `xoxb-local-pup-bot-token`. */
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
  /** Lets a test harness answer calls itself (fault injection); see {@link ApiInterceptor}. */
  intercept?: ApiInterceptor<Interference>;
  /** Answers paths outside `/api/` on the same origin (tests' `response_url`s). */
  otherRoutes?: (request: Request) => Promise<Response | undefined>;
}

/** Everything a feed subscriber sees: workspace changes and each recorded API call. */
export type LocalSlackEvent<Interference = never> =
  | WorkspaceEvent
  | { type: "api_call"; call: RecordedCall<Interference> };

/** A running local Slack. */
export interface LocalSlack<Interference = never> {
  /** Web API base URL, ending in `/api/`: pass it as the WebClient's `slackApiUrl`. */
  readonly url: string;
  /** The bot token accepted. */
  readonly token: string;
  /** The state model (users, channels, messages, views, assistant threads). */
  readonly workspace: LocalWorkspace;
  /** Every call received so far, oldest first. */
  readonly calls: readonly RecordedCall<Interference>[];
  /** Calls to one method, oldest first. */
  callsTo(method: string): RecordedCall<Interference>[];
  /** Seeds a user. */
  addUser(user: NewUser): SlackUser;
  /** Seeds a conversation, e.g. `{ id: "C1", name: "general", visibility: "public" }`. */
  addChannel(channel: NewChannel): SlackConversation;
  /** Follows everything that happens; returns the unsubscribe function. */
  subscribe(listener: (event: LocalSlackEvent<Interference>) => void): () => void;
  /** Forgets calls and activity (messages, reactions, views); keeps users and channels. */
  reset(): void;
  /** Stops the server and drops open connections. */
  stop(): Promise<void>;
}

const DEFAULT_TOKEN = "xoxb-local-pup-bot-token";

/** Builds the workspace and the API over it, with the given tokens allowed (no server). */
export function createLocalSlackApi(options: LocalSlackOptions<unknown> = {}): SlackApi {
  const workspace = new LocalWorkspace(options);
  for (const user of options.users ?? []) workspace.addUser(user);
  for (const channel of options.channels ?? []) workspace.addChannel(channel);
  const api = new SlackApi(workspace, allMethods);
  api.allowToken(options.token ?? DEFAULT_TOKEN);
  for (const extra of options.additionalTokens ?? []) api.allowToken(extra.token, extra.userId);
  return api;
}

/** Starts a local Slack Web API server on loopback. */
export function startLocalSlack<Interference = never>(
  options: LocalSlackOptions<Interference> = {},
): LocalSlack<Interference> {
  const api = createLocalSlackApi(options);
  const { workspace } = api;
  const token = options.token ?? DEFAULT_TOKEN;
  const calls = new CallLog<Interference>();
  const server = serveSlackApi({
    api,
    calls,
    intercept: options.intercept,
    otherRoutes: options.otherRoutes,
    hostname: options.hostname,
    port: options.port,
  });

  return {
    url: `http://${server.hostname}:${server.port}/api/`,
    token,
    workspace,
    get calls() {
      return calls.all();
    },
    callsTo: (method) => calls.to(method),
    addUser: (user) => workspace.addUser(user),
    addChannel: (channel) => workspace.addChannel(channel),
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
      workspace.clearActivity();
    },
    stop: () => server.stop(true),
  };
}
