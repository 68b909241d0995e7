/**
 * Maps a forwarded Slack payload to the event log's row: its type, author, conversation and
 * workspace, read with the shared Slack payload model (protocol/slack).
 */
import type { ForwardedPayload } from "../../../../protocol/forwarded-payload";
import {
  EVENT_TYPE_FIELD,
  parseSlackPayload,
  slackEventLogFields,
} from "../../../../protocol/slack";
import type { SlackEventInput } from "../../ports/event-log";

/**
 * Maps a forwarded payload to an event log row, or explains why it cannot be stored: it is not
 * a JSON object, it does not say what it is (`event.type`, `command` or `type`), or no team is
 * known (neither the edge's `teamId` nor the payload's).
 */
export function toSlackEventInput(
  forwarded: ForwardedPayload,
): { ok: true; input: SlackEventInput } | { ok: false; message: string } {
  const parsed = parseSlackPayload(forwarded.kind, forwarded.payload);
  if (!parsed.ok) return { ok: false, message: `${forwarded.id}: ${parsed.problems.join("; ")}` };
  const fields = slackEventLogFields(parsed.payload);
  const { eventType } = fields;
  if (!eventType) {
    return {
      ok: false,
      message: `${forwarded.id}: payload.${EVENT_TYPE_FIELD[forwarded.kind]} is missing`,
    };
  }
  // The edge sets teamId from the payload; null only when Slack sent none it could find.
  const teamId = forwarded.teamId ?? fields.teamId;
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
      userId: fields.userId ?? null,
      channelId: fields.channelId ?? null,
      payload: forwarded.payload,
      retryNum: forwarded.retry.num,
      retryReason: forwarded.retry.reason,
    },
  };
}
