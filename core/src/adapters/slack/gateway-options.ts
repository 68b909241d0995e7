/** How the Slack gateway is set up: where Slack is, its token, its cache, and its timings. */
import type { KeyValueCache } from "../../ports/cache";
import type { Logger } from "../pino/logger";

/** Options for createSlackGateway (gateway.ts). */
export interface SlackGatewayOptions {
  /** Bot token (`xoxb-…`); sent as a header, never logged. */
  botToken: string;
  /** Web API base URL, e.g. `https://slack.com/api/` or a local fake's. */
  apiUrl: string;
  /** Where `users.info` and `conversations.info` answers are kept. */
  cache: KeyValueCache;
  logger?: Logger;
  /** Milliseconds since the epoch; used to space out updates. Default `Date.now`. */
  clock?: { now(): number };
  /** How long looked-up users and conversations stay cached; default 600 s. */
  lookupTtlSeconds?: number;
  /** How long `users.conversations` / `conversations.members` answers stay cached; default 60 s. */
  membershipTtlSeconds?: number;
  /** Least time between two `chat.update`s of one reply; default 1000 ms. */
  updateIntervalMs?: number;
  /** Least time between two `chat.appendStream`s of one reply; default 250 ms. */
  streamIntervalMs?: number;
  /**
   * How long a reply's first text waits for the rest before Slack is called (default 0). An
   * answer complete within it goes out as one `chat.postMessage` instead of a stream's start,
   * append and stop; a longer one streams as before, starting this much later.
   */
  firstSendDelayMs?: number;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** How long a `response_url` POST may take before its outcome counts as unknown; default 10 s. */
  responseUrlTimeoutMs?: number;
  /** Longest `Retry-After` we wait out (longer ones fail the call); default 30 s. */
  maxRateLimitWaitSeconds?: number;
}
