/**
 * One verified, parsed Slack delivery on its way to core, whatever the route: what kind it is,
 * the id core de-duplicates on, and who sent it (for rate limiting). Routes build it; the rate
 * limiter and the forwarder read it.
 */
import type { ForwardedKind } from "../../../protocol/forwarded-payload";
import type { EventCallback, Interaction, SlashCommand } from "../../../protocol/slack";

export interface InboundSlackRequest {
  kind: ForwardedKind;
  /** Core's de-duplication id (see ForwardedPayload.id). */
  id: string;
  teamId: string | null;
  /** The human behind the delivery, when there is one; keys the per-user rate limit. */
  userId: string | null;
  /** The parsed payload exactly as core will receive it. */
  payload: unknown;
}

/** An Events API delivery: Slack's `event_id` is stable across its retries. */
export function inboundEvent(envelope: EventCallback): InboundSlackRequest {
  const { user } = envelope.event;
  return {
    kind: "event",
    id: envelope.event_id,
    teamId: envelope.team_id,
    userId: typeof user === "string" ? user : null,
    payload: envelope,
  };
}

/** A slash command: `trigger_id` is unique per invocation. */
export function inboundCommand(command: SlashCommand): InboundSlackRequest {
  return {
    kind: "command",
    id: `command:${command.team_id}:${command.trigger_id}`,
    teamId: command.team_id,
    userId: command.user_id,
    payload: command,
  };
}

/** The most specific per-interaction token Slack gives each interaction type. */
function interactionToken(interaction: Interaction): string | undefined {
  switch (interaction.type) {
    case "block_actions":
      return interaction.trigger_id ?? interaction.actions[0]?.action_ts;
    case "view_submission":
      return interaction.trigger_id ?? interaction.view.hash ?? interaction.view.id;
    case "view_closed":
      return interaction.view.hash ?? interaction.view.id;
    case "shortcut":
    case "message_action":
      return interaction.trigger_id;
  }
}

/**
 * An interaction. Slack does not retry interactions, so the id only has to be stable for this
 * one delivery (the edge's own re-forwarding reuses the payload); a random id covers the rare
 * payload without a trigger.
 */
export function inboundInteraction(interaction: Interaction): InboundSlackRequest {
  const teamId = interaction.team?.id ?? interaction.user.team_id ?? null;
  const token = interactionToken(interaction) ?? crypto.randomUUID();
  return {
    kind: "interaction",
    id: `${interaction.type}:${teamId ?? "-"}:${token}`,
    teamId,
    userId: interaction.user.id,
    payload: interaction,
  };
}
