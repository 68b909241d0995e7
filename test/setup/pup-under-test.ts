/**
 * What every test that starts pup sets up the same way: a logger whose lines the test can read,
 * and the model configuration that points pup at the local OpenAI server (or offline mode).
 */
import type { Logger } from "../../core/src/adapters/pino/logger";
import { createLogger } from "../../core/src/adapters/pino/logger";
import type { LlmConfig } from "../../core/src/config/sections";
import type { FakeOpenAI } from "../fakes/openai";

/**
 * Limits no test reaches unless it is about limits (ADR-025): scenarios send dozens of DMs from
 * one person in seconds, which the production defaults would rightly refuse.
 */
export const UNREACHED_LIMITS = {
  userPerMinute: 10_000,
  teamPerMinute: 1_000_000,
  userDailyTokens: 1_000_000_000,
  dailyTokenCap: 1_000_000_000_000,
};

/** A debug-level logger named `core` that keeps every line, parsed, in `logs`. */
export function capturingLogger(): { logger: Logger; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: "debug",
    env: "development",
    name: "core",
    destination: {
      write(line: string) {
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          logs.push({ raw: line });
        }
      },
    },
  });
  return { logger, logs };
}

/** The local OpenAI server as pup's model, or offline mode without one. */
export function modelConfig(openai: FakeOpenAI | undefined): LlmConfig {
  return openai
    ? {
        mode: "openai",
        apiKey: openai.apiKey,
        baseUrl: openai.url,
        chatModel: "gpt-4o-mini",
        embeddingModel: "text-embedding-3-small",
      }
    : { mode: "offline" };
}
