// The errors the Slack gateway port declares: every SlackGateway method that calls Slack rejects
// with a SlackCallError, so callers decide on `ambiguous` and `retryable` without knowing the SDK.
import { PupError } from "../shared/errors";

/** Options for {@link SlackCallError}. */
export interface SlackCallErrorOptions {
  /** Seconds Slack asked us to wait (HTTP 429). */
  retryAfterSeconds?: number;
  /** The request left but no answer came back: Slack may have carried it out. */
  ambiguous?: boolean;
  cause?: unknown;
}

/**
 * A Slack call failed. `slackError` is Slack's `error` field (`channel_not_found`, `ratelimited`…)
 * or, when Slack gave none, `http_<status>` or `request_failed` (network, timeout, lost answer).
 */
export class SlackCallError extends PupError {
  override readonly name: string = "SlackCallError";
  /** The Web API method, e.g. `chat.postMessage`, or `response_url`. */
  readonly method: string;
  /** Slack's error code, or `http_<status>` / `request_failed`. */
  readonly slackError: string;
  /** Seconds to wait before trying again, when Slack said so. */
  readonly retryAfterSeconds: number | undefined;
  /**
   * True when the outcome is unknown: the request was sent but its answer was lost or timed out.
   * A post may then exist in Slack; callers must not blindly post again.
   */
  readonly ambiguous: boolean;

  constructor(method: string, slackError: string, options: SlackCallErrorOptions = {}) {
    const rateLimited = slackError === "ratelimited";
    const transient = rateLimited || /^http_5\d\d$/.test(slackError) || Boolean(options.ambiguous);
    super(`Slack ${method} failed: ${slackError}`, {
      code: rateLimited ? "slack_rate_limited" : "slack_call_failed",
      retryable: transient || TRANSIENT_SLACK_ERRORS.has(slackError),
      cause: options.cause,
    });
    this.method = method;
    this.slackError = slackError;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.ambiguous = options.ambiguous ?? false;
  }
}

/** Slack error codes that describe a passing condition on Slack's side. */
const TRANSIENT_SLACK_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);
