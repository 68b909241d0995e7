/**
 * The field schemas the Slack payload schemas are built from, in two flavours:
 *
 * - As Slack sends a payload (`slackId`): the edge refuses a body that breaks these rules.
 * - As core reads a forwarded payload (everything else here): lenient. The edge has already
 *   refused malformed bodies, so core reads fields without refusing the payload: a field that is
 *   missing, empty or of another type reads as absent (`undefined`). Read schemas are plain
 *   (non-loose) objects: their output holds only the fields pup reads, and the payload itself
 *   travels and is stored exactly as Slack sent it.
 */
import * as v from "valibot";

/** A Slack id (team, user, channel, event…) as Slack sends it: a non-empty string. */
export const slackId = v.pipe(v.string(), v.minLength(1));

function isNonEmptyString(input: unknown): input is string {
  return typeof input === "string" && input.length > 0;
}

/**
 * A non-empty string; anything else reads as undefined. (One check rather than `slackId`'s
 * pipe: core reads every forwarded payload's fields with it.)
 */
export const nonEmptyText = v.fallback(
  v.optional(v.custom<string>(isNonEmptyString, "must be a non-empty string")),
  undefined,
);

/** Any string, the empty one included (message text); anything else reads as undefined. */
export const anyText = v.fallback(v.optional(v.string()), undefined);

function isJsonObject(input: unknown): input is Record<string, unknown> {
  return typeof input === "object" && input !== null && !Array.isArray(input);
}

/** A JSON object (not null, not an array), passed on unchanged (no copy) to the next schema. */
export const jsonObject = v.custom<Record<string, unknown>>(isJsonObject, "must be a JSON object");

/** A nested object read with `entries`; anything but a JSON object reads as undefined. */
export function nestedObject<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  return v.fallback(v.optional(v.pipe(jsonObject, v.object(entries))), undefined);
}

/**
 * A Slack id given either as a string or as an object with an `id` (`user` on `user_change`,
 * `channel` on interactions). Read it with {@link slackIdOf} or {@link plainSlackId}.
 */
export const slackIdRef = v.fallback(
  v.optional(
    v.union([
      v.custom<string>(isNonEmptyString, "must be a non-empty string"),
      v.pipe(jsonObject, v.object({ id: nonEmptyText })),
    ]),
  ),
  undefined,
);

export type SlackIdRef = v.InferOutput<typeof slackIdRef>;

/** The id a {@link SlackIdRef} names, whichever form it takes. */
export function slackIdOf(ref: SlackIdRef): string | undefined {
  return typeof ref === "string" ? ref : ref?.id;
}

/** The id a {@link SlackIdRef} names only when given as a plain string (messages, reactions). */
export function plainSlackId(ref: SlackIdRef): string | undefined {
  return typeof ref === "string" ? ref : undefined;
}
