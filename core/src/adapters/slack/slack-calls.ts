/**
 * How the gateway calls a Web API method: HTTP 429s are waited out for the `Retry-After` Slack
 * asked for (a 429 means Slack did nothing, so this is safe for writes too), and any other
 * failure becomes a {@link SlackCallError}. Also the two narrower forms: a read whose "not found"
 * means `undefined`, and a write whose one particular error means "already so".
 */
import { WebAPIRateLimitedError } from "@slack/web-api";
import type { Logger } from "../pino/logger";
import { SlackCallError, toSlackCallError } from "./errors";

/** How many 429s in a row one call waits out before giving up. */
const RATE_LIMIT_RETRIES = 3;

/** Calls Slack for one gateway, with its logger and its longest acceptable `Retry-After`. */
export class SlackCalls {
  constructor(
    private readonly logger: Logger,
    /** Longest `Retry-After` waited out; longer ones fail the call. */
    private readonly maxRateLimitWaitSeconds: number,
  ) {}

  /** Calls Slack, waiting out 429s (Slack did nothing then), and wraps any failure. */
  async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        const waitSeconds = error instanceof WebAPIRateLimitedError ? error.retryAfter : undefined;
        if (
          waitSeconds !== undefined &&
          attempt < RATE_LIMIT_RETRIES &&
          waitSeconds <= this.maxRateLimitWaitSeconds
        ) {
          this.logger.info({ method, retryAfterSeconds: waitSeconds }, "Slack rate limit");
          await sleep(waitSeconds * 1_000);
          continue;
        }
        const wrapped = toSlackCallError(method, error);
        this.logger.debug(
          { method, slackError: wrapped.slackError, ambiguous: wrapped.ambiguous },
          "Slack call failed",
        );
        throw wrapped;
      }
    }
  }

  /** A read whose "not found" answers mean `undefined` rather than an error. */
  async lookup<T>(
    method: string,
    notFound: Set<string>,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.call(method, run);
    } catch (error) {
      if (error instanceof SlackCallError && notFound.has(error.slackError)) return undefined;
      throw error;
    }
  }

  /** A write for which one particular error means "already so". */
  async tolerating(harmless: string, method: string, run: () => Promise<unknown>) {
    try {
      await this.call(method, run);
    } catch (error) {
      if (error instanceof SlackCallError && error.slackError === harmless) return;
      throw error;
    }
  }
}

/** The `ts` of a message Slack says it posted; a missing one is an error. */
export function requireTs(ts: string | undefined, method: string): string {
  if (!ts) throw new SlackCallError(method, "missing_ts");
  return ts;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
