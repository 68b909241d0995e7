/**
 * What the limits are, as rules the rate limiter counts: pure functions of the settings, who is
 * asking and the caller's clock. Replies, commands and interactions share one per-user and one
 * per-workspace window (all of them cost); replies also need model tokens left in the user's
 * and the deployment's budget for the current UTC day.
 */
import type { LimitsConfig } from "../../config/limits";
import type { ChatMessage } from "../../ports/language-model";
import type { AdmitRequest, BudgetRule, WindowRule } from "../../ports/rate-limiter";

/** The windows are a sliding minute. */
export const WINDOW_MS = 60_000;
const DAY_MS = 86_400_000;
/** Budget counters outlive their day a little, for anyone reading them after midnight. */
export const BUDGET_TTL_MS = 2 * DAY_MS;

/** Whose request it is. */
export interface Asker {
  teamId: string;
  userId: string;
}

/** `2026-12-01`: the UTC day `now` falls on; budgets are counted per day, reset at 00:00 UTC. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Milliseconds from `now` to the next 00:00 UTC. */
export function untilNextUtcDay(now: number): number {
  return DAY_MS - (now % DAY_MS);
}

// Keys keep a workspace's windows together under a `{team}` hash tag (one slot in a cluster).
const userWindow = (who: Asker): string => `{${who.teamId}}:user:${who.userId}`;
const teamWindow = (who: Asker): string => `{${who.teamId}}:team`;
const userTokens = (who: Asker, day: string): string =>
  `{${who.teamId}}:tokens:${who.userId}:${day}`;
const allTokens = (day: string): string => `tokens:all:${day}`;

/** The per-user and per-workspace windows every costly request counts against. */
export function windowRules(limits: LimitsConfig, who: Asker): WindowRule[] {
  return [
    { key: userWindow(who), limit: limits.userPerMinute, windowMs: WINDOW_MS },
    { key: teamWindow(who), limit: limits.teamPerMinute, windowMs: WINDOW_MS },
  ];
}

/** The token budgets a reply needs something left in, today. */
export function budgetRules(limits: LimitsConfig, who: Asker, now: number): BudgetRule[] {
  const day = utcDay(now);
  return [
    { key: userTokens(who, day), limit: limits.userDailyTokens },
    { key: allTokens(day), limit: limits.dailyTokenCap },
  ];
}

/** The check before a reply: both windows, both budgets. */
export function replyCheck(
  limits: LimitsConfig,
  who: Asker,
  now: number,
  id: string,
): AdmitRequest {
  return { windows: windowRules(limits, who), budgets: budgetRules(limits, who, now), now, id };
}

/** The check before a command or an interaction: both windows (commands spend no reply tokens). */
export function commandCheck(
  limits: LimitsConfig,
  who: Asker,
  now: number,
  id: string,
): AdmitRequest {
  return { windows: windowRules(limits, who), budgets: [], now, id };
}

/** The counters a model call's tokens are added to. */
export function spendKeys(who: Asker, now: number): string[] {
  const day = utcDay(now);
  return [userTokens(who, day), allTokens(day)];
}

/** Whether a refusal came from a budget (a day) rather than a window (a minute). */
export function isBudgetKey(key: string): boolean {
  return key.includes("tokens:");
}

/**
 * At most one note per person per refusal period: a window of one unit that lasts a minute for
 * a window refusal and a day for a spent budget.
 */
export function noticeCheck(who: Asker, budget: boolean, now: number, id: string): AdmitRequest {
  const windowMs = budget ? untilNextUtcDay(now) : WINDOW_MS;
  const key = `{${who.teamId}}:notice:${budget ? `day:${utcDay(now)}` : "minute"}:${who.userId}`;
  return { windows: [{ key, limit: 1, windowMs }], budgets: [], now, id };
}

/** Four characters a token: what a call costs when the server reports no usage. */
export function estimateTokens(messages: readonly ChatMessage[], completion: string): number {
  const characters = messages.reduce((sum, message) => sum + message.content.length, 0);
  return Math.ceil((characters + completion.length) / 4);
}
