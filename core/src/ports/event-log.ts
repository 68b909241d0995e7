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

/** A duplicate (same team and event id) is reported, never thrown. */
export type AppendResult = { inserted: true; id: number } | { inserted: false };

/** Every Slack payload, stored once per workspace and event id, never modified. */
export interface EventLog {
  /** Stores the payload unless this team already logged this event id (Slack retries). */
  append(event: SlackEventInput): Promise<AppendResult>;
  /** The stored payload for one event, or undefined. */
  find(teamId: string, eventId: string): Promise<StoredSlackEvent | undefined>;
}
