/**
 * One forwarded Slack payload (`ForwardedPayload.payload`) read by the model: the Events API
 * `event_callback`, a slash command's form fields or an interaction, according to the kind the
 * edge gave it. Core reads each payload with this once per process: when it accepts it (the
 * event log's fields) and when it handles it.
 */
import * as v from "valibot";
import type { ForwardedKind } from "../forwarded-payload";
import { type ForwardedSlashCommand, forwardedSlashCommandSchema } from "./commands";
import { type ForwardedEventCallback, forwardedEventCallbackSchema } from "./events";
import { jsonObject } from "./fields";
import { type ForwardedInteraction, forwardedInteractionSchema } from "./interactions";

export type SlackPayloadKind = ForwardedKind;

/** A forwarded Slack payload, told apart by the kind the edge gave it. */
export type SlackPayload =
  | { kind: "event"; envelope: ForwardedEventCallback }
  | { kind: "command"; command: ForwardedSlashCommand }
  | { kind: "interaction"; interaction: ForwardedInteraction };

export type SlackPayloadResult<K extends SlackPayloadKind = SlackPayloadKind> =
  | { ok: true; payload: Extract<SlackPayload, { kind: K }> }
  | { ok: false; problems: string[] };

// Each payload must be a JSON object; inside it the read schemas refuse nothing (./fields.ts).
const eventSchema = v.pipe(jsonObject, forwardedEventCallbackSchema);
const commandSchema = v.pipe(jsonObject, forwardedSlashCommandSchema);
const interactionSchema = v.pipe(jsonObject, forwardedInteractionSchema);

/** Names each problem by its place in the payload: `payload.event.type is missing`. */
function problemsOf(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue);
    return `${path ? `payload.${path}` : "payload"} ${issue.message}`;
  });
}

/**
 * Reads a forwarded Slack payload of `kind`. Lenient, as core must be behind the edge: any JSON
 * object is a payload (a field that is missing or malformed reads as absent); anything else is
 * refused with the problems named.
 */
export function parseSlackPayload(kind: "event", payload: unknown): SlackPayloadResult<"event">;
export function parseSlackPayload(kind: "command", payload: unknown): SlackPayloadResult<"command">;
export function parseSlackPayload(
  kind: "interaction",
  payload: unknown,
): SlackPayloadResult<"interaction">;
export function parseSlackPayload(kind: SlackPayloadKind, payload: unknown): SlackPayloadResult;
export function parseSlackPayload(kind: SlackPayloadKind, payload: unknown): SlackPayloadResult {
  switch (kind) {
    case "event": {
      const result = v.safeParse(eventSchema, payload);
      return result.success
        ? { ok: true, payload: { kind, envelope: result.output } }
        : { ok: false, problems: problemsOf(result.issues) };
    }
    case "command": {
      const result = v.safeParse(commandSchema, payload);
      return result.success
        ? { ok: true, payload: { kind, command: result.output } }
        : { ok: false, problems: problemsOf(result.issues) };
    }
    case "interaction": {
      const result = v.safeParse(interactionSchema, payload);
      return result.success
        ? { ok: true, payload: { kind, interaction: result.output } }
        : { ok: false, problems: problemsOf(result.issues) };
    }
  }
}
