/**
 * The fake Slack for tests: the demo's local Slack (demo/local-slack, a real Web API server on
 * loopback) plus planned faults, which only tests need. Point the real `@slack/web-api` client at
 * `fake.url`; the workspace state, the call record and planned faults are all reachable from the
 * returned handle.
 */
import {
  type RecordedCall as LocalRecordedCall,
  type LocalSlack,
  type LocalSlackEvent,
  type LocalSlackOptions,
  startLocalSlack,
} from "../../../demo/local-slack/index";
import { type Fault, FaultPlan, faultInterceptor } from "./faults";

export type {
  AssistantThreadState,
  ConversationVisibility,
  EphemeralMessage,
  LocalWorkspace as FakeWorkspace,
  NewChannel,
  NewUser,
  SlackMessage,
  WorkspaceEvent,
  WorkspaceIdentity,
} from "../../../demo/local-slack/index";
export type { Fault } from "./faults";

/** One received call, with the planned fault applied to it (if any). */
export type RecordedCall = LocalRecordedCall<Fault>;

/** Options for {@link startFakeSlack}: the local Slack's, without the interceptor (faults own it). */
export type FakeSlackOptions = Omit<LocalSlackOptions<Fault>, "intercept">;

/** Everything a feed subscriber sees: workspace changes and each recorded API call. */
export type FakeSlackEvent = LocalSlackEvent<Fault>;

/** One answer POSTed to a `response_url` the fake issued. */
export interface ResponseUrlPost {
  /** The URL's path, e.g. `/respond/3f2a…`. */
  path: string;
  body: Record<string, unknown>;
}

/** A running fake Slack. */
export interface FakeSlack extends LocalSlack<Fault> {
  /**
   * A fresh `response_url` on the fake's own origin (SLACK_API_URL's, the only one besides
   * Slack's hooks that pup posts to); what is POSTed there lands in {@link responses}.
   */
  responseUrl(): string;
  /** Every answer POSTed to a `response_url`, oldest first. */
  readonly responses: readonly ResponseUrlPost[];
  /** Makes the next `times` (default 1) calls to `method` (`"*"`: any method) fail with `fault`. */
  failNext(method: string, fault: Fault, times?: number): void;
  /** Forgets calls, planned faults and activity (messages, reactions, views); keeps users and channels. */
  reset(): void;
}

const DEFAULT_TOKEN = "xoxb-fake-pup-bot-token";

/** Starts a fake Slack Web API server on loopback. */
export function startFakeSlack(options: FakeSlackOptions = {}): FakeSlack {
  const faults = new FaultPlan();
  const responses: ResponseUrlPost[] = [];
  const local = startLocalSlack<Fault>({
    ...options,
    token: options.token ?? DEFAULT_TOKEN,
    intercept: faultInterceptor(faults),
    async otherRoutes(request) {
      const { pathname } = new URL(request.url);
      if (request.method !== "POST" || !pathname.startsWith("/respond/")) return undefined;
      responses.push({ path: pathname, body: (await request.json()) as Record<string, unknown> });
      return new Response("ok");
    },
  });
  return {
    url: local.url,
    responseUrl: () => new URL(`/respond/${crypto.randomUUID()}`, local.url).href,
    responses,
    token: local.token,
    workspace: local.workspace,
    get calls() {
      return local.calls;
    },
    callsTo: (method) => local.callsTo(method),
    addUser: (user) => local.addUser(user),
    addChannel: (channel) => local.addChannel(channel),
    subscribe: (listener) => local.subscribe(listener),
    failNext: (method, fault, times) => faults.failNext(method, fault, times),
    reset() {
      local.reset();
      faults.clear();
      responses.length = 0;
    },
    stop: () => local.stop(),
  };
}
