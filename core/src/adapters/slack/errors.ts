/**
 * Turns what @slack/web-api throws into the gateway port's declared error, SlackCallError:
 * which method failed, Slack's own error code, and whether the call may have taken effect.
 */
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from "@slack/web-api";
import { SlackCallError } from "../../ports/slack-errors";

export { SlackCallError };

/** Turns whatever the SDK threw for `method` into a {@link SlackCallError}. */
export function toSlackCallError(method: string, error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIPlatformError) {
    return new SlackCallError(method, error.data.error, { cause: error });
  }
  if (error instanceof WebAPIRateLimitedError) {
    return new SlackCallError(method, "ratelimited", {
      retryAfterSeconds: error.retryAfter,
      cause: error,
    });
  }
  if (error instanceof WebAPIHTTPError) {
    return new SlackCallError(method, `http_${error.statusCode}`, { cause: error });
  }
  if (error instanceof WebAPIRequestError) {
    return new SlackCallError(method, "request_failed", { ambiguous: true, cause: error.original });
  }
  return new SlackCallError(method, "request_failed", { ambiguous: true, cause: error });
}
