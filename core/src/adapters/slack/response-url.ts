/**
 * Answers a slash command or an action through its `response_url`: a plain HTTPS POST, not the
 * Web API, so it needs no token. The URL arrives inside the payload, so whoever can shape a
 * payload could point pup at any server: pup posts only to Slack's hooks origin or to the origin
 * of SLACK_API_URL (a local Slack stand-in), and refuses everything else before any request
 * leaves. The URL is a credential while it lives: only its host is logged.
 */
import type { Logger } from "../pino/logger";
import { SlackCallError } from "./errors";

/** Slack's own origin for `response_url`s. */
export const SLACK_HOOKS_ORIGIN = "https://hooks.slack.com";

/** The origins a `response_url` may have: Slack's hooks and the Web API's own (the contract). */
export function responseUrlOrigins(apiUrl: string): string[] {
  const origins = [SLACK_HOOKS_ORIGIN];
  try {
    const api = new URL(apiUrl).origin;
    if (api !== "null" && !origins.includes(api)) origins.push(api);
  } catch {
    // A malformed SLACK_API_URL fails the Web API calls loudly; here it simply adds no origin.
  }
  return origins;
}

export interface ResponseUrlOptions {
  inChannel?: boolean;
  /** Block Kit blocks (the text stays the fallback). */
  blocks?: readonly Record<string, unknown>[];
  /** Replaces the message an action was clicked in (`replace_original`). */
  replaceOriginal?: boolean;
  /** Exact origins (`scheme://host[:port]`) a `response_url` may have. */
  allowedOrigins: readonly string[];
  timeoutMs: number;
}

/**
 * POSTs `text` to `responseUrl`. Rejects with a {@link SlackCallError}: `origin_not_allowed` or
 * `invalid_url` (nothing was sent), `http_<status>` (Slack answered and took nothing), or
 * `request_failed` with `ambiguous` (sent, answer lost or timed out: it may have been shown).
 */
export async function postToResponseUrl(
  responseUrl: string,
  text: string,
  options: ResponseUrlOptions,
  logger: Logger,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch {
    throw new SlackCallError("response_url", "invalid_url");
  }
  if (!options.allowedOrigins.includes(url.origin)) {
    logger.warn(
      { host: url.host, protocol: url.protocol },
      "response_url refused: not Slack's origin nor SLACK_API_URL's",
    );
    throw new SlackCallError("response_url", "origin_not_allowed");
  }
  // Never unfurled: a preview would show what a link says about itself (ADR-023).
  const body = {
    text,
    response_type: options.inChannel ? "in_channel" : "ephemeral",
    unfurl_links: false,
    unfurl_media: false,
    ...(options.blocks ? { blocks: options.blocks } : {}),
    ...(options.replaceOriginal ? { replace_original: true } : {}),
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
      // A redirect could lead anywhere: the origin check above would mean nothing.
      redirect: "error",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new SlackCallError("response_url", "request_failed", { ambiguous: true, cause: error });
  }
  // Drain the body so the connection can be reused; Slack answers a bare "ok".
  const answer = await response.text().catch(() => "");
  if (!response.ok) {
    logger.warn(
      { host: url.host, status: response.status, answer: answer.slice(0, 200) },
      "response_url refused the answer",
    );
    throw new SlackCallError("response_url", `http_${response.status}`);
  }
}
