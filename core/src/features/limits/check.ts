/**
 * The checks core makes before it spends: before a reply (windows and token budgets) and before
 * a command or an interaction (windows). A refused reply gets at most one short, in-character
 * ephemeral note per person per refusal period (a minute, or the rest of the UTC day for a spent
 * budget), never one per refused message; a refused command gets an ephemeral "slow down".
 */
import type { AdmitAnswer, AdmitRequest } from "../../ports/rate-limiter";
import type { LimitsDeps } from "./deps";
import {
  type Asker,
  BUDGET_TTL_MS,
  commandCheck,
  isBudgetKey,
  noticeCheck,
  replyCheck,
  spendKeys,
} from "./policy";

/** pup's note when someone asks faster than the per-minute limits allow. */
export const OUT_OF_BREATH_TEXT =
  "Woof, I'm out of breath! :dog: Give me a minute and ask me again.";
/** pup's note when today's token budget is spent. */
export const HOARSE_TEXT =
  "I've barked myself hoarse for today. :dog: I'll answer again after midnight UTC.";
/** pup's answer to a command or interaction over the limit. */
export const SLOW_DOWN_TEXT =
  "Whoa, slow down! My paws can only fetch so fast. Give me a minute and try again.";

/** Where a refused reply's note goes. */
export interface ReplyPlace extends Asker {
  channelId: string;
}

async function admit(deps: LimitsDeps, request: AdmitRequest): Promise<AdmitAnswer> {
  return deps.limiter.admit(request);
}

/** Whether pup may answer this message now; tells the asker (once per period) when not. */
export async function admitReply(deps: LimitsDeps, place: ReplyPlace): Promise<boolean> {
  const now = deps.now();
  const answer = await admit(deps, replyCheck(deps.limits, place, now, crypto.randomUUID()));
  if (answer.admitted) return true;
  const budget = isBudgetKey(answer.key);
  deps.logger.info(
    {
      teamId: place.teamId,
      userId: place.userId,
      limit: answer.key,
      retryAfterMs: answer.retryAfterMs,
    },
    "reply refused by a limit",
  );
  const notice = await admit(deps, noticeCheck(place, budget, now, crypto.randomUUID()));
  if (notice.admitted) {
    await deps.slack
      .postEphemeral(
        place.teamId,
        place.channelId,
        place.userId,
        budget ? HOARSE_TEXT : OUT_OF_BREATH_TEXT,
      )
      .catch((error: unknown) =>
        deps.logger.warn(
          { err: error, teamId: place.teamId },
          "telling a user about a limit failed",
        ),
      );
  }
  return false;
}

/** Whether a command or an interaction may run now (the caller answers "slow down" if not). */
export async function admitCommand(deps: LimitsDeps, who: Asker): Promise<boolean> {
  const answer = await admit(deps, commandCheck(deps.limits, who, deps.now(), crypto.randomUUID()));
  if (answer.admitted) return true;
  deps.logger.info(
    {
      teamId: who.teamId,
      userId: who.userId,
      limit: answer.key,
      retryAfterMs: answer.retryAfterMs,
    },
    "command refused by a limit",
  );
  return false;
}

/** Adds a model call's tokens to the user's and the deployment's counters for today. */
export async function recordTokens(deps: LimitsDeps, who: Asker, tokens: number): Promise<void> {
  try {
    const now = deps.now();
    await deps.limiter.spend({
      keys: spendKeys(who, now),
      amount: tokens,
      now,
      ttlMs: BUDGET_TTL_MS,
    });
  } catch (error) {
    // Spend is best effort once the answer is out; the fallback limiter already logged why.
    deps.logger.warn({ err: error, teamId: who.teamId, tokens }, "recording token spend failed");
  }
}
