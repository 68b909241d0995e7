/**
 * Maps a forwarded Slack payload to the event log's row: its type, author, conversation and
 * workspace, read from whichever fields that kind of payload carries.
 */
import type { ForwardedPayload } from "../../../../protocol/forwarded-payload";
import type { SlackEventInput } from "../../ports/event-log";

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A Slack id given as a string or as an object with an `id` (e.g. `user`, `channel`). */
function idOf(value: unknown): string | undefined {
  return text(value) ?? text(record(value)?.id);
}

/**
 * Maps a forwarded payload to an event log row, or explains why it cannot be stored.
 * Events: `event.type`, `event.user`, `event.channel`; commands: `command`, `user_id`,
 * `channel_id`; interactions: `type`, `user.id`, `channel.id` or `container.channel_id`.
 */
export function toSlackEventInput(
  forwarded: ForwardedPayload,
): { ok: true; input: SlackEventInput } | { ok: false; message: string } {
  const body = record(forwarded.payload);
  if (!body) return { ok: false, message: `${forwarded.id}: payload must be a JSON object` };
  let eventType: string | undefined;
  let userId: string | undefined;
  let channelId: string | undefined;
  // The edge sets teamId from the payload; null only when Slack sent none it could find.
  let teamId = forwarded.teamId ?? undefined;
  switch (forwarded.kind) {
    case "event": {
      const event = record(body.event);
      eventType = text(event?.type);
      userId = idOf(event?.user);
      channelId = idOf(event?.channel);
      teamId ??= text(body.team_id);
      if (!eventType)
        return { ok: false, message: `${forwarded.id}: payload.event.type is missing` };
      break;
    }
    case "command":
      eventType = text(body.command);
      userId = text(body.user_id);
      channelId = text(body.channel_id);
      teamId ??= text(body.team_id);
      if (!eventType) return { ok: false, message: `${forwarded.id}: payload.command is missing` };
      break;
    case "interaction": {
      const user = record(body.user);
      eventType = text(body.type);
      userId = text(user?.id);
      channelId = idOf(body.channel) ?? text(record(body.container)?.channel_id);
      teamId ??= text(record(body.team)?.id) ?? text(user?.team_id);
      if (!eventType) return { ok: false, message: `${forwarded.id}: payload.type is missing` };
      break;
    }
  }
  if (!teamId) {
    return {
      ok: false,
      message: `${forwarded.id}: no team: teamId is null and the payload names no team`,
    };
  }
  return {
    ok: true,
    input: {
      teamId,
      eventId: forwarded.id,
      kind: forwarded.kind,
      eventType,
      userId: userId ?? null,
      channelId: channelId ?? null,
      payload: forwarded.payload,
      retryNum: forwarded.retry.num,
      retryReason: forwarded.retry.reason,
    },
  };
}
