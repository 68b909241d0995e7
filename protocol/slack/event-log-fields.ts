/**
 * What the event log records about a payload besides the payload itself: its workspace, what it
 * is, who sent it and where. Read from whichever fields that kind of payload carries.
 */
import { slackIdOf } from "./fields";
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
 * Events: `team_id`, `event.type`, `event.user`, `event.channel`; commands: `team_id`,
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
        userId: slackIdOf(event?.user),
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
