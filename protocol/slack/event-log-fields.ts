/**
 * What the event log records about a payload besides the payload itself: its workspace, what it
 * is, who sent it and where. Read from whichever fields that kind of payload carries.
 */
import { slackIdOf } from "./fields";
import { type ForwardedInnerEvent, isHandledInnerEvent } from "./inner-events";
import type { SlackPayload, SlackPayloadKind } from "./payload";

export interface SlackEventLogFields {
  teamId: string | undefined;
  /** The inner event's type (`message`), the command (`/pup`) or the interaction's type. */
  eventType: string | undefined;
  userId: string | undefined;
  channelId: string | undefined;
}

/** Where each kind of payload names what it is (for messages about a missing type). */
export const EVENT_TYPE_FIELD: Record<SlackPayloadKind, string> = {
  event: "event.type",
  command: "command",
  interaction: "type",
};

/**
 * Whose words an event carries. An edit names its author in `message.user` (a thread parent
 * deleted under its replies, `tombstone`, in `previous_message.user`), a deletion in
 * `previous_message.user`; `event.user` is absent there. The event log files the payload under
 * that person, so forgetting them finds it and refuses their late deliveries (ADR-034).
 */
function eventAuthor(event: ForwardedInnerEvent | undefined): string | undefined {
  if (event && isHandledInnerEvent(event) && event.type === "message") {
    if (event.subtype === "message_changed" && "message" in event) {
      const author =
        event.message?.subtype === "tombstone" ? event.previous_message?.user : event.message?.user;
      return author ?? slackIdOf(event.user);
    }
    if (event.subtype === "message_deleted" && "previous_message" in event) {
      return event.previous_message?.user ?? slackIdOf(event.user);
    }
  }
  return slackIdOf(event?.user);
}

/**
 * Events: `team_id`, `event.type`, the author (`event.user`; an edit's `message.user`, a
 * deletion's `previous_message.user`), `event.channel`; commands: `team_id`,
 * `command`, `user_id`, `channel_id`; interactions: `team.id` or `user.team_id`, `type`,
 * `user.id`, `channel.id` or `container.channel_id`.
 */
export function slackEventLogFields(payload: SlackPayload): SlackEventLogFields {
  switch (payload.kind) {
    case "event": {
      const { team_id, event } = payload.envelope;
      return {
        teamId: team_id,
        eventType: event?.type,
        userId: eventAuthor(event),
        channelId: slackIdOf(event?.channel),
      };
    }
    case "command": {
      const { team_id, command, user_id, channel_id } = payload.command;
      return { teamId: team_id, eventType: command, userId: user_id, channelId: channel_id };
    }
    case "interaction": {
      const { team, user, type, channel, container } = payload.interaction;
      return {
        teamId: team?.id ?? user?.team_id,
        // An interaction's `type` reads as any string; an empty one names nothing.
        eventType: type === "" ? undefined : type,
        userId: user?.id,
        channelId: slackIdOf(channel) ?? container?.channel_id,
      };
    }
  }
}
