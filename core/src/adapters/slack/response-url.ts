/**
 * Answers a slash command or an action through its `response_url`: a plain HTTPS POST, not the
 * Web API, so it needs no token. The URL is a credential while it lives: only its host is logged.
 */
import type { Logger } from "../pino/logger";
import { SlackCallError } from "./errors";

export async function postToResponseUrl(
  responseUrl: string,
  text: string,
  options: { inChannel?: boolean },
  logger: Logger,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch {
    throw new SlackCallError("response_url", "invalid_url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SlackCallError("response_url", "invalid_url");
  }
  const body = { text, response_type: options.inChannel ? "in_channel" : "ephemeral" };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
      redirect: "error",
      signal: AbortSignal.timeout(10_000),
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
