// The limits feature: exact limits on what costs (replies, commands, interactions, model
// tokens), counted by the RateLimiter port; memory is never limited (ADR-025).

export {
  admitCommand,
  admitReply,
  HOARSE_TEXT,
  OUT_OF_BREATH_TEXT,
  type ReplyPlace,
  recordTokens,
  SLOW_DOWN_TEXT,
} from "./check";
export type { LimitsDeps } from "./deps";
export { conservative, FALLBACK_SHARE, fallbackRateLimiter } from "./fallback";
export { meteredModel, withTokenMeter } from "./metered-model";
export { type Asker, utcDay, WINDOW_MS } from "./policy";
