// Port: the append-only log of Slack payloads, pup's audit and replay record.
import type { SlackPayloadKind } from "./slack-vocabulary";

export interface SlackEventInput {
  teamId: string;
  /** Slack's `event_id`; for interactions and commands, a stable id derived by the caller. */
  eventId: string;
  kind: SlackPayloadKind;
  /** e.g. `message`, `app_mention`, `block_actions`, `/pup`. */
  eventType: string;
  userId?: string | null;
  channelId?: string | null;
  payload: unknown;
  /** From Slack's `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` headers. */
  retryNum?: number | null;
  retryReason?: string | null;
}

export interface StoredSlackEvent extends SlackEventInput {
  id: number;
  receivedAt: Date;
}

/**
 * A duplicate (same team and event id) is reported, never thrown. `forgotten`: not stored
 * because its author (`userId`) asked pup to forget them after it happened, or because the
 * message it is about was already deleted or forgotten (ADR-034).
 */
export type AppendResult = { inserted: true; id: number } | { inserted: false; forgotten?: true };

/** Every Slack payload, stored once per workspace and event id, never modified. */
export interface EventLog {
  /**
   * Stores the payload unless this team already logged this event id (Slack retries), or its
   * author was forgotten at or after the event's time: an event's envelope `event_time` (now
   * when it has none); commands and interactions are new requests, so they are always stored.
   * Nor is a `message` event about a message already deleted or forgotten (a retry, a late
   * delivery): its tombstone row gains no payload again.
   */
  append(event: SlackEventInput): Promise<AppendResult>;
  /** The stored payload for one event, or undefined. */
  find(teamId: string, eventId: string): Promise<StoredSlackEvent | undefined>;
}
