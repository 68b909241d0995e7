import { describe, expect, test } from "bun:test";
import type { ForwardedPayload } from "../../../../protocol/forwarded-payload";
import { toSlackEventInput } from "./slack-event-input";

describe("toSlackEventInput", () => {
  const base = {
    version: 1 as const,
    receivedAt: "2026-01-01T00:00:00.000Z",
    retry: { num: 2, reason: "http_timeout" },
  };

  test("interactions: type, user, channel or container channel, team from the payload", () => {
    const blockActions = toSlackEventInput({
      ...base,
      kind: "interaction",
      id: "block_actions:T1:trig",
      teamId: null,
      payload: {
        type: "block_actions",
        team: null,
        user: { id: "U5", team_id: "T1" },
        container: { type: "message", channel_id: "C5" },
        actions: [],
      },
    });
    expect(blockActions).toEqual({
      ok: true,
      input: {
        teamId: "T1",
        eventId: "block_actions:T1:trig",
        kind: "interaction",
        eventType: "block_actions",
        userId: "U5",
        channelId: "C5",
        payload: expect.anything(),
        retryNum: 2,
        retryReason: "http_timeout",
      },
    });
    const shortcut = toSlackEventInput({
      ...base,
      kind: "interaction",
      id: "message_action:T2:trig",
      teamId: "T2",
      payload: { type: "message_action", user: { id: "U6" }, channel: { id: "C6" } },
    });
    expect(shortcut.ok && shortcut.input).toMatchObject({
      teamId: "T2",
      userId: "U6",
      channelId: "C6",
    });
  });

  test("events with a user object and no channel", () => {
    const result = toSlackEventInput({
      ...base,
      kind: "event",
      id: "Ev9",
      teamId: "T1",
      payload: { event: { type: "user_change", user: { id: "U7" } } },
    });
    expect(result.ok && result.input).toMatchObject({
      eventType: "user_change",
      userId: "U7",
      channelId: null,
    });
  });

  test("a payload that is not an object is refused", () => {
    const result = toSlackEventInput({
      ...base,
      kind: "event",
      id: "Ev0",
      teamId: "T1",
      payload: 3,
    });
    expect(result).toEqual({ ok: false, message: "Ev0: payload must be a JSON object" });
  });

  test("an array, a payload that does not say what it is, or no team: each refusal named", () => {
    const refusal = (kind: ForwardedPayload["kind"], payload: unknown, teamId: string | null) =>
      toSlackEventInput({ ...base, kind, id: "X1", teamId, payload });
    expect(refusal("interaction", [], "T1")).toEqual({
      ok: false,
      message: "X1: payload must be a JSON object",
    });
    expect(refusal("event", { team_id: "T1", event: "x" }, null)).toEqual({
      ok: false,
      message: "X1: payload.event.type is missing",
    });
    expect(refusal("command", { command: "", team_id: "T1" }, "T1")).toEqual({
      ok: false,
      message: "X1: payload.command is missing",
    });
    expect(refusal("interaction", { type: 7, team: { id: "T1" } }, "T1")).toEqual({
      ok: false,
      message: "X1: payload.type is missing",
    });
    expect(refusal("command", { command: "/pup" }, null)).toEqual({
      ok: false,
      message: "X1: no team: teamId is null and the payload names no team",
    });
  });

  test("the team comes from the edge first, then from the payload", () => {
    const command = { command: "/pup", team_id: "T7", user_id: "U7", channel_id: "C7" };
    const fromPayload = toSlackEventInput({
      ...base,
      kind: "command",
      id: "X2",
      teamId: null,
      payload: command,
    });
    expect(fromPayload.ok && fromPayload.input).toMatchObject({
      teamId: "T7",
      eventType: "/pup",
      userId: "U7",
      channelId: "C7",
      payload: command,
    });
    const fromEdge = toSlackEventInput({
      ...base,
      kind: "event",
      id: "X3",
      teamId: "T8",
      payload: { team_id: "T7", event: { type: "message", user: "U1", channel: "C1" } },
    });
    expect(fromEdge.ok && fromEdge.input).toMatchObject({ teamId: "T8", eventType: "message" });
  });
});
