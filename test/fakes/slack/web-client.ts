/**
 * The real `@slack/web-api` client pointed at a fake (or the demo's local) Slack, for tests:
 * quiet, and without retries unless a test is about retries.
 */
import { type Logger, LogLevel, type RetryOptions, WebClient } from "@slack/web-api";

/** What a client needs to reach a local or fake Slack. */
export interface SlackEndpoint {
  url: string;
  token: string;
}

/** A logger that drops everything: the SDK warns on every failed attempt, which tests cause. */
const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/** Options for {@link webClientFor}. */
export interface WebClientForOptions {
  /** Token to present; default the fake's bot token. `null` sends none. */
  token?: string | null;
  /** Default `{ retries: 0 }`; retry tests pass their own (keep `minTimeout` small). */
  retryConfig?: RetryOptions;
  /** Per-request timeout in ms; default none. */
  timeout?: number;
  rejectRateLimitedCalls?: boolean;
}

/** A `WebClient` whose `slackApiUrl` is the fake's URL. */
export function webClientFor(fake: SlackEndpoint, options: WebClientForOptions = {}): WebClient {
  const token = options.token === null ? undefined : (options.token ?? fake.token);
  return new WebClient(token, {
    slackApiUrl: fake.url,
    logger: silentLogger,
    retryConfig: options.retryConfig ?? { retries: 0 },
    timeout: options.timeout ?? 0,
    rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
  });
}

/** Runs `call` and returns what it threw (failing the test if it did not throw). */
export async function thrownBy(
  call: () => Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`expected an Error, got ${String(error)}`);
  }
  throw new Error("expected the call to fail, but it succeeded");
}
