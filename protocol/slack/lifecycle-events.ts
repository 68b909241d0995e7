/**
 * Events about pup's installation in a workspace: the app uninstalled (`app_uninstalled`) and
 * tokens revoked (`tokens_revoked`, listing the revoked tokens' user ids under `oauth` for user
 * tokens and `bot` for bot tokens). Either may stop pup answering a workspace (ADR-034). Lenient,
 * like every read schema.
 */
import * as v from "valibot";
import { nestedObject, nonEmptyText, slackIdRef } from "./fields";

/** Event types about pup's installation that pup acts on. */
export const LIFECYCLE_EVENT_TYPES = ["app_uninstalled", "tokens_revoked"] as const;

/** What every inner event offers the event log (./event-log-fields.ts). */
const lifecycleEventFields = {
  user: slackIdRef,
  channel: slackIdRef,
  team: nonEmptyText,
  event_ts: nonEmptyText,
};

/** A list of user ids; anything but an array of strings reads as undefined. */
const userIds = v.fallback(v.optional(v.array(v.string())), undefined);

export const appUninstalledEventSchema = v.object({
  ...lifecycleEventFields,
  type: v.literal("app_uninstalled"),
});

export const tokensRevokedEventSchema = v.object({
  ...lifecycleEventFields,
  type: v.literal("tokens_revoked"),
  tokens: nestedObject({ oauth: userIds, bot: userIds }),
});

export type AppUninstalledEvent = v.InferOutput<typeof appUninstalledEventSchema>;
export type TokensRevokedEvent = v.InferOutput<typeof tokensRevokedEventSchema>;
export type LifecycleEvent = AppUninstalledEvent | TokensRevokedEvent;
