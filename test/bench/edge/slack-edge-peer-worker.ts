/**
 * Benchmark variant "slack-edge": the peer the issue compares pup with, an app built with the
 * slack-edge package that verifies Slack's signature and acknowledges every event, with a static
 * authorize (no auth.test call) and a handler that does nothing.
 *
 * The app is built once per bindings object rather than per request as slack-edge's own Workers
 * example does, so the peer is measured in its fastest reasonable form.
 */
import { type ExecutionContext, SlackApp, type SlackEdgeAppEnv } from "slack-edge";

interface PeerBindings extends SlackEdgeAppEnv {
  SLACK_SIGNING_SECRET: string;
}

const apps = new WeakMap<object, SlackApp<SlackEdgeAppEnv>>();

function appFor(env: PeerBindings): SlackApp<SlackEdgeAppEnv> {
  const cached = apps.get(env);
  if (cached) return cached;
  const app = new SlackApp<SlackEdgeAppEnv>({
    env: { SLACK_SIGNING_SECRET: env.SLACK_SIGNING_SECRET, SLACK_LOGGING_LEVEL: "ERROR" },
    authorize: async () => ({
      teamId: "TBENCH0",
      botId: "BPUPBENCH",
      botUserId: "UPUPBENCH",
      botToken: "xoxb-bench-not-a-real-token",
      botScopes: [],
    }),
  });
  app.event("app_mention", async () => {});
  apps.set(env, app);
  return app;
}

export default {
  fetch(request: Request, env: PeerBindings, ctx: ExecutionContext): Promise<Response> {
    return appFor(env).run(request, ctx);
  },
};
