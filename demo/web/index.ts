/**
 * The demo's local Slack on one loopback port: `/api/<method>` is the Web API pup calls
 * (SLACK_API_URL), `/` the chat page, `/events` its live feed (server-sent events), and `/ui/…`
 * the page's actions, which become Slack-signed requests handed to the edge through `edge()`.
 */
import { EventHub } from "../local-slack/event-hub";
import { CallLog, createApiHandler, createLocalSlackApi } from "../local-slack/index";
import { type DEMO_IDENTITY, demoWorkspaceIdentity, seedDemoWorkspace } from "./demo-workspace";
import { eventStreamResponse, type PageEvent } from "./event-stream";
import { PageActions } from "./page-actions";
import { guardPageRequest, newPageToken } from "./page-guard";
import { ResponseUrls } from "./response-urls";
import { staticAsset } from "./static-page";
import { handleUi } from "./ui-routes";

export { DEMO_IDENTITY } from "./demo-workspace";

export interface DemoWebOptions {
  /** 0 = a free port; listens on 127.0.0.1. */
  port: number;
  /** What the edge verifies. */
  signingSecret: string;
  /** The token pup's WebClient presents at /api/. */
  botToken: string;
  /** Delivers a Slack-signed request (POST /slack/events | /slack/commands | /slack/interactions) to the edge. */
  edge: (request: Request) => Promise<Response>;
  /** The conversation's mood word shown in data-testid="mood" (default: "neutral"). */
  moodOf?: (channelId: string) => Promise<string>;
}

export interface DemoWeb {
  /** "http://127.0.0.1:<port>/" */
  url: string;
  /** `${url}api/`: SLACK_API_URL for pup. */
  apiUrl: string;
  /** This run's page token (`x-pup-demo-token`, or `?token=` on /events); the page embeds it. */
  pageToken: string;
  stop(): Promise<void>;
}

/** Starts the local Slack and its page; the seeded workspace is {@link DEMO_IDENTITY}'s. */
export function startDemoWeb(options: DemoWebOptions): DemoWeb {
  const api = createLocalSlackApi({ identity: demoWorkspaceIdentity, token: options.botToken });
  const { workspace } = api;
  seedDemoWorkspace(workspace);
  const bot = api.allowToken(options.botToken);
  const callApi = createApiHandler({ api, calls: new CallLog() });

  const pageEvents = new EventHub<PageEvent>();
  const stopForwarding = workspace.events.subscribe((event) => pageEvents.publish(event));
  let url = "";
  const actions = new PageActions({
    workspace,
    bot,
    signingSecret: options.signingSecret,
    edge: options.edge,
    responseUrls: new ResponseUrls(),
    baseUrl: () => url,
    pageEvents,
  });
  const uiOptions = {
    workspace,
    actions,
    moodOf: options.moodOf ?? (async () => "neutral"),
  };

  const pageToken = newPageToken();
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port,
    async fetch(request, server) {
      const refused = guardPageRequest(request, server.port ?? 0, pageToken);
      if (refused) return refused;
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/api/")) return callApi(request);
      if (pathname === "/events" && request.method === "GET") {
        // SSE connections stay open; Bun's idle timeout would cut them after 10 s.
        server.timeout(request, 0);
        return eventStreamResponse(pageEvents, request.signal);
      }
      if (pathname.startsWith("/ui/")) {
        return (await handleUi(request, pathname, uiOptions)) ?? notFound();
      }
      if (request.method === "GET" || request.method === "HEAD") {
        return (await staticAsset(pathname, pageToken)) ?? notFound();
      }
      return notFound();
    },
    error(error) {
      console.error("demo web: request failed", error);
      return Response.json({ ok: false, error: "internal_error" }, { status: 500 });
    },
  });
  url = `http://127.0.0.1:${server.port}/`;

  return {
    url,
    apiUrl: `${url}api/`,
    pageToken,
    async stop() {
      stopForwarding();
      await server.stop(true);
    },
  };
}

function notFound(): Response {
  return new Response("Not Found", { status: 404 });
}

// Keeps DEMO_IDENTITY's literal types in the public face (MAIN reads teamId and botUserId).
export type DemoIdentity = typeof DEMO_IDENTITY;
