import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import * as commands from "../../test/fixtures/slack/commands";
import * as interactionFixtures from "../../test/fixtures/slack/interactions";
import * as messages from "../../test/fixtures/slack/message-events";
import * as others from "../../test/fixtures/slack/other-events";
import {
  edgeEventCallbackSchema,
  eventEnvelopeSchema,
  interactionSchema,
  KNOWN_EVENT_TYPES,
  slashCommandSchema,
} from ".";

// The fixtures are typed against these schemas at compile time; this checks the run-time rules
// (lengths, URLs, variants) agree with them, and that parsing keeps every field for core.
describe("payload schemas accept Slack's payloads as sent", () => {
  test("every event fixture parses unchanged", () => {
    const { delivery: _builder, ...messageFixtures } = messages;
    for (const fixture of [...Object.values(messageFixtures), ...Object.values(others)]) {
      expect(v.parse(eventEnvelopeSchema, fixture)).toEqual(fixture);
    }
  });

  test("the slash command fixture parses unchanged", () => {
    expect(v.parse(slashCommandSchema, commands.pupMoodCommand)).toEqual(commands.pupMoodCommand);
  });

  test("every forwarded interaction fixture parses unchanged", () => {
    const { blockSuggestion: _notForwarded, ...forwarded } = interactionFixtures;
    for (const fixture of Object.values(forwarded)) {
      expect(v.parse(interactionSchema, fixture)).toEqual(fixture);
    }
  });

  test("wrong shapes are refused", () => {
    const { event_id: _dropped, ...noEventId } = messages.appMention;
    expect(v.is(eventEnvelopeSchema, noEventId)).toBe(false);
    expect(v.is(eventEnvelopeSchema, { type: "url_verification" })).toBe(false);
    expect(v.is(slashCommandSchema, { ...commands.pupMoodCommand, command: "pup" })).toBe(false);
    expect(
      v.is(slashCommandSchema, { ...commands.pupMoodCommand, response_url: "not a url" }),
    ).toBe(false);
    const { view: _noView, ...submissionWithoutView } = interactionFixtures.viewSubmission;
    expect(v.is(interactionSchema, submissionWithoutView)).toBe(false);
  });
});

describe("the edge's own event_callback check", () => {
  const { delivery: _builder, ...messageFixtures } = messages;
  const callbacks = [...Object.values(messageFixtures), others.reactionAdded];

  test("passes every event_callback fixture, leaving the object untouched", () => {
    for (const fixture of callbacks) {
      const copy = structuredClone(fixture);
      expect(v.is(edgeEventCallbackSchema, copy)).toBe(true);
      expect(copy).toEqual(fixture);
    }
  });

  test("refuses what the drop rules, rate limits and de-duplication could not read", () => {
    const { appMention } = messages;
    const { event_id: _id, ...noEventId } = appMention;
    const { type: _type, ...eventWithoutType } = appMention.event;
    const refused = [
      noEventId,
      { ...appMention, event_id: 7 },
      { ...appMention, event_id: "" },
      { ...appMention, team_id: null },
      { ...appMention, event: eventWithoutType },
      { ...appMention, event: { ...appMention.event, user: 42 } },
      { ...appMention, event: { ...appMention.event, bot_id: 1 } },
      { ...appMention, authorizations: [{ user_id: "U1", is_bot: "yes" }] },
      { ...appMention, authorizations: {} },
    ];
    for (const input of refused) expect(v.is(edgeEventCallbackSchema, input)).toBe(false);
  });
});

describe("the event types the edge forwards", () => {
  test("are exactly the ones manifest.json subscribes to", async () => {
    const manifest = await Bun.file(new URL("../../manifest.json", import.meta.url)).json();
    const subscribed: string[] = manifest.settings.event_subscriptions.bot_events;
    // message.channels, message.im … all arrive as type "message".
    const types = new Set(subscribed.map((name) => name.split(".")[0]));
    expect([...types].sort()).toEqual([...KNOWN_EVENT_TYPES].sort());
  });
});
