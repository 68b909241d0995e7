/**
 * The requests every edge benchmark variant receives: real-shaped Slack Events API
 * `event_callback` deliveries (an `app_mention` from one of many users in a few workspaces),
 * each with its own event id, signed with a timestamp taken when the pool is built. A pool is
 * built right before each load run, so no run can outlive Slack's 5-minute signature window.
 */

import { signedJsonHeaders } from "../../e2e/edge/slack-requests";
import type { PlannedRequest } from "./load-generator";

/** The bot user the payloads' `authorizations` name (pup itself; never the message author). */
export const BENCH_BOT_USER_ID = "UPUPBENCH";

export interface EventPoolOptions {
  signingSecret: string;
  size: number;
  teams: number;
  users: number;
  /** Path on the Worker; every variant serves Slack events at the same path. */
  path: string;
}

function appMention(index: number, teamId: string, userId: string, nowSeconds: number) {
  const ts = `${nowSeconds}.${String(index).padStart(6, "0")}`;
  return {
    token: "legacy-verification-token-unused",
    team_id: teamId,
    api_app_id: "APUPBENCH",
    event: {
      type: "app_mention",
      user: userId,
      text: `<@${BENCH_BOT_USER_ID}> how was the deploy today? (${index})`,
      ts,
      channel: "CBENCH0001",
      event_ts: ts,
      client_msg_id: crypto.randomUUID(),
    },
    type: "event_callback",
    event_id: `Ev${nowSeconds.toString(36).toUpperCase()}${String(index).padStart(6, "0")}`,
    event_time: nowSeconds,
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: BENCH_BOT_USER_ID, is_bot: true },
    ],
    is_ext_shared_channel: false,
    event_context: `4-bench-${index}`,
  };
}

/** Builds and signs `size` distinct event deliveries stamped with the current time. */
export async function buildSignedEventPool(options: EventPoolOptions): Promise<PlannedRequest[]> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const requests: PlannedRequest[] = [];
  for (let i = 0; i < options.size; i++) {
    const teamId = `TBENCH${i % options.teams}`;
    const userId = `UBENCH${(i * 7919) % options.users}`;
    const body = JSON.stringify(appMention(i, teamId, userId, nowSeconds));
    const headers = await signedJsonHeaders(body, {
      secret: options.signingSecret,
      timestamp: nowSeconds,
    });
    requests.push({ path: options.path, headers, body });
  }
  return requests;
}
