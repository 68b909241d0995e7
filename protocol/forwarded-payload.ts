/**
 * The body of every edge -> core request (`POST /internal/slack`): one Slack delivery, already
 * verified and parsed by the edge, wrapped with what core needs to de-duplicate and trace it.
 * Pure web-standard TypeScript plus valibot: the edge (workerd) and core (Bun) both import it.
 */
import * as v from "valibot";

export const FORWARDED_PAYLOAD_VERSION = 1;
export const FORWARDED_KINDS = ["event", "interaction", "command"] as const;
export type ForwardedKind = (typeof FORWARDED_KINDS)[number];

/** The wire format. Bump `version` for any change core cannot read as before. */
export interface ForwardedPayload {
  version: typeof FORWARDED_PAYLOAD_VERSION;
  kind: ForwardedKind;
  /**
   * De-duplication id: Slack's `event_id` for events; for commands and interactions a stable id
   * derived from the team and `trigger_id` (or `action_ts` / view id). Core handles an id once.
   */
  id: string;
  teamId: string | null;
  /** When the edge received the delivery, ISO 8601. */
  receivedAt: string;
  /** Slack's `x-slack-retry-num` / `x-slack-retry-reason` (0 / null on a first delivery). */
  retry: { num: number; reason: string | null };
  /**
   * The parsed Slack payload: the JSON body for events, the form fields for commands, the
   * parsed `payload` JSON for interactions.
   */
  payload: unknown;
}

export const forwardedPayloadSchema = v.object({
  version: v.literal(FORWARDED_PAYLOAD_VERSION),
  kind: v.picklist(FORWARDED_KINDS),
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  teamId: v.nullable(v.pipe(v.string(), v.minLength(1))),
  receivedAt: v.pipe(v.string(), v.isoTimestamp()),
  retry: v.object({
    num: v.pipe(v.number(), v.integer(), v.minValue(0)),
    reason: v.nullable(v.string()),
  }),
  payload: v.unknown(),
});

// Keeps the interface and the schema from drifting apart: both directions must be assignable.
type SchemaOutput = v.InferOutput<typeof forwardedPayloadSchema>;
const _toSchema = (payload: ForwardedPayload): SchemaOutput => payload;
const _fromSchema = (output: SchemaOutput): ForwardedPayload => output;
void _toSchema;
void _fromSchema;

export type ForwardedPayloadResult =
  | { ok: true; payload: ForwardedPayload }
  | { ok: false; problems: string[] };

/** Validates an already-parsed JSON value as a {@link ForwardedPayload}. */
export function parseForwardedPayload(input: unknown): ForwardedPayloadResult {
  const result = v.safeParse(forwardedPayloadSchema, input);
  if (result.success) return { ok: true, payload: result.output };
  return {
    ok: false,
    problems: result.issues.map((issue) => `${v.getDotPath(issue) ?? "(root)"}: ${issue.message}`),
  };
}
