/**
 * The Slack gateway every feature gets: the Web API adapter behind the output filter, so no path
 * can post around it, and the canary the filter removes, which every prompt carries (ADR-023).
 */

import type { Logger } from "../adapters/pino/logger";
import { createSlackGateway } from "../adapters/slack";
import { filteredSlackGateway, newPromptCanary, outputPolicy } from "../features/reply";
import type { KeyValueCache } from "../ports/cache";

/** Slack's own Web API, when `SLACK_API_URL` is unset. */
export const SLACK_API_DEFAULT_URL = "https://slack.com/api/";

/** What of the services' configuration the gateway reads. */
export interface FilteredSlackConfig {
  slack: { botToken: string; apiUrl: string | undefined };
  llm: { mode: string; apiKey?: string | undefined };
  output?: { linkAllowlist: readonly string[]; secrets: readonly string[] } | undefined;
}

export function filteredSlack(config: FilteredSlackConfig, cache: KeyValueCache, logger: Logger) {
  const canary = newPromptCanary();
  const output = outputPolicy({
    canary,
    linkAllowlist: config.output?.linkAllowlist,
    secrets: [config.slack.botToken, config.llm.apiKey].concat(config.output?.secrets ?? []),
  });
  const slack = filteredSlackGateway(
    createSlackGateway({
      botToken: config.slack.botToken,
      apiUrl: config.slack.apiUrl ?? SLACK_API_DEFAULT_URL,
      cache,
      logger,
      // A short answer goes out as one post; longer ones stream, starting a quarter second later.
      firstSendDelayMs: 250,
    }),
    output,
  );
  return { slack, canary, output };
}
