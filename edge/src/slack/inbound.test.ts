import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import {
  eventCallbackSchema,
  interactionSchema,
  slashCommandSchema,
} from "../../../protocol/slack";
import { pupMoodCommand } from "../../../test/fixtures/slack/commands";
import * as interactions from "../../../test/fixtures/slack/interactions";
import { appMention } from "../../../test/fixtures/slack/message-events";
import { ALICE, TEAM_ID } from "../../../test/fixtures/slack/workspace";
import { inboundCommand, inboundEvent, inboundInteraction } from "./inbound";

const interaction = (input: unknown) => inboundInteraction(v.parse(interactionSchema, input));

describe("inbound deliveries", () => {
  test("events use Slack's event_id, so Slack's retries de-duplicate in core", () => {
    expect(inboundEvent(v.parse(eventCallbackSchema, appMention))).toEqual({
      kind: "event",
      id: appMention.event_id,
      teamId: TEAM_ID,
      userId: ALICE,
      payload: appMention,
    });
  });

  test("commands are keyed by team and trigger", () => {
    expect(inboundCommand(v.parse(slashCommandSchema, pupMoodCommand))).toMatchObject({
      kind: "command",
      id: `command:${TEAM_ID}:${pupMoodCommand.trigger_id}`,
      userId: ALICE,
    });
  });

  test("interaction ids are stable for the same payload and differ between payloads", () => {
    const first = interaction(interactions.blockActions);
    expect(interaction(interactions.blockActions).id).toBe(first.id);
    expect(interaction(interactions.viewSubmission).id).not.toBe(first.id);
    const { trigger_id: _none, ...withoutTrigger } = interactions.blockActions;
    expect(interaction(withoutTrigger).id).toBe(
      `block_actions:${TEAM_ID}:${interactions.blockActions.actions[0]?.action_ts}`,
    );
    const { team: _noTeam, ...userTeamOnly } = interactions.globalShortcut;
    expect(interaction({ ...userTeamOnly, team: null }).teamId).toBe(TEAM_ID);
  });
});
