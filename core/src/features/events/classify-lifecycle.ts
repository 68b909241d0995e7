/**
 * What a delivery about pup's installation means, decided without I/O (ADR-034): the app
 * uninstalled from the workspace, or its bot token revoked, both stop pup answering there.
 * `tokens_revoked` also arrives when only users' OAuth tokens are revoked; pup holds none, so
 * that one is ignored.
 */
import { LIFECYCLE_EVENT_TYPES, type LifecycleEvent } from "../../../../protocol/slack";
import type { StoredSlackEvent } from "../../ports/event-log";

export type LifecycleChange =
  | { kind: "uninstalled"; teamId: string; reason: "app_uninstalled" | "tokens_revoked" }
  | { kind: "ignored"; reason: string };

/** Reads one of the lifecycle events (protocol/slack/lifecycle-events.ts). */
export function classifyLifecycleEvent(teamId: string, event: LifecycleEvent): LifecycleChange {
  if (event.type === "app_uninstalled") {
    return { kind: "uninstalled", teamId, reason: "app_uninstalled" };
  }
  if ((event.tokens?.bot ?? []).length === 0) {
    return { kind: "ignored", reason: "only user tokens revoked" };
  }
  return { kind: "uninstalled", teamId, reason: "tokens_revoked" };
}

const LIFECYCLE = new Set<string>(LIFECYCLE_EVENT_TYPES);

/**
 * Whether a stored payload is a lifecycle event: the only payloads still handled while the
 * workspace is uninstalled (a repeated uninstall is recorded; it keeps the earlier time).
 */
export function isLifecycleEvent(event: Pick<StoredSlackEvent, "kind" | "eventType">): boolean {
  return event.kind === "event" && LIFECYCLE.has(event.eventType);
}
