/**
 * Why a health check failed, as a short code. `/health` may be reachable by more than the
 * operators who read logs, so it never carries an error's text (hosts, ports, library messages);
 * the code says enough to act on, and the detail goes to the log beside it.
 */
import { SlackCallError } from "../../ports/slack-errors";

export const HEALTH_CODES = ["timeout", "unreachable", "auth", "circuit_open", "error"] as const;
export type HealthCode = (typeof HEALTH_CODES)[number];

/** A check that knows why it failed throws this (e.g. the model's breaker is open). */
export class HealthCheckFailure extends Error {
  override readonly name = "HealthCheckFailure";
  readonly code: HealthCode;
  constructor(code: HealthCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Thrown by the check runner when a check does not answer in time. */
export class HealthCheckTimeout extends Error {
  override readonly name = "HealthCheckTimeout";
}

/** Slack's answers that mean the token is wrong, revoked or the app removed. */
const SLACK_AUTH_ERRORS = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
  "http_401",
  "http_403",
]);

/** Network failures as Node, Bun, ioredis and postgres.js report them. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ConnectionRefused",
  "ConnectionClosed",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/** The code for whatever a check threw; `error` when nothing more specific is known. */
export function healthCode(error: unknown): HealthCode {
  if (error instanceof HealthCheckFailure) return error.code;
  if (error instanceof HealthCheckTimeout) return "timeout";
  if (error instanceof SlackCallError) {
    if (SLACK_AUTH_ERRORS.has(error.slackError)) return "auth";
    if (error.slackError === "request_failed") return "unreachable";
    return "error";
  }
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return "unreachable";
    if (code === "28P01" || code === "28000") return "auth"; // PostgreSQL: bad password / role
    const message = cause instanceof Error ? cause.message : "";
    if (/connection is closed|connect(ion)? refused|NOAUTH|WRONGPASS/i.test(message)) {
      return /NOAUTH|WRONGPASS/.test(message) ? "auth" : "unreachable";
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return "error";
}
