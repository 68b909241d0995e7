/**
 * Exact limits on what costs (ADR-025): replies, commands and interactions per user and per
 * workspace in a sliding minute, and model tokens per user and for the whole deployment per UTC
 * day. Every process that replies (core, workers, the demo) reads the same section.
 */
import { integerBetween, withDefault } from "./fields";

export interface LimitsConfig {
  /** Replies, commands and interactions one person may cause in any 60 seconds. */
  userPerMinute: number;
  /** The same for a whole workspace. */
  teamPerMinute: number;
  /** Model tokens (prompt + completion) one person's replies may spend per UTC day. */
  userDailyTokens: number;
  /** Model tokens every workspace together may spend per UTC day: the operator's bill. */
  dailyTokenCap: number;
}

export const DEFAULT_LIMITS: LimitsConfig = {
  userPerMinute: 20,
  teamPerMinute: 300,
  userDailyTokens: 200_000,
  dailyTokenCap: 20_000_000,
};

export const limitsEntries = {
  PUP_USER_REPLIES_PER_MINUTE: withDefault(integerBetween(1, 10_000), DEFAULT_LIMITS.userPerMinute),
  PUP_TEAM_REPLIES_PER_MINUTE: withDefault(
    integerBetween(1, 1_000_000),
    DEFAULT_LIMITS.teamPerMinute,
  ),
  PUP_USER_DAILY_TOKENS: withDefault(
    integerBetween(1, 1_000_000_000),
    DEFAULT_LIMITS.userDailyTokens,
  ),
  PUP_DAILY_TOKEN_CAP: withDefault(
    integerBetween(1, 1_000_000_000_000),
    DEFAULT_LIMITS.dailyTokenCap,
  ),
};

export function toLimitsConfig(input: {
  PUP_USER_REPLIES_PER_MINUTE: number;
  PUP_TEAM_REPLIES_PER_MINUTE: number;
  PUP_USER_DAILY_TOKENS: number;
  PUP_DAILY_TOKEN_CAP: number;
}): LimitsConfig {
  return {
    userPerMinute: input.PUP_USER_REPLIES_PER_MINUTE,
    teamPerMinute: input.PUP_TEAM_REPLIES_PER_MINUTE,
    userDailyTokens: input.PUP_USER_DAILY_TOKENS,
    dailyTokenCap: input.PUP_DAILY_TOKEN_CAP,
  };
}
