/**
 * Reading a Web API method's arguments the way Slack does: every value may arrive as a string
 * (form encoding) or as its JSON type (JSON bodies), and structured fields such as `blocks` arrive
 * JSON-encoded inside a form field. Violations become Slack's own error strings.
 */

/** Arguments of one Web API call after body parsing: form fields are strings, JSON keeps types. */
export type MethodArgs = Record<string, unknown>;

/** A Slack `ok:false` answer raised from inside a method; the dispatcher turns it into the body. */
export class SlackApiError extends Error {
  /** Slack's error string, e.g. `channel_not_found`. */
  readonly error: string;
  /** Extra fields Slack adds beside `error`, e.g. `response_metadata.messages`. */
  readonly extra: Record<string, unknown>;

  constructor(error: string, extra: Record<string, unknown> = {}) {
    super(error);
    this.name = "SlackApiError";
    this.error = error;
    this.extra = extra;
  }
}

/** Slack's answer to a missing or malformed required argument, naming the field like Slack does. */
export function invalidArguments(detail: string): SlackApiError {
  return new SlackApiError("invalid_arguments", {
    response_metadata: { messages: [`[ERROR] ${detail}`] },
  });
}

/** An optional string argument; numbers and booleans are accepted and stringified. */
export function optionalString(args: MethodArgs, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw invalidArguments(`must provide a string [json-pointer:/${name}]`);
}

/** A required string argument; `missingError` lets a method use Slack's specific code. */
export function requiredString(args: MethodArgs, name: string, missingError?: string): string {
  const value = optionalString(args, name);
  if (value !== undefined) return value;
  if (missingError) throw new SlackApiError(missingError);
  throw invalidArguments(`missing required field: ${name}`);
}

/** An optional boolean; form bodies carry `"true"`/`"false"` (and sometimes `"1"`/`"0"`). */
export function optionalBoolean(args: MethodArgs, name: string): boolean | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "1" || value === 1) return true;
  if (value === "false" || value === "0" || value === 0) return false;
  throw invalidArguments(`must provide a boolean [json-pointer:/${name}]`);
}

/** An optional integer argument such as `limit`. */
export function optionalInteger(args: MethodArgs, name: string): number | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === "") return undefined;
  const parsed = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(parsed)) throw invalidArguments(`must provide an integer [${name}]`);
  return parsed;
}

/**
 * An optional structured argument (blocks, view, metadata, prompts, chunks). The SDK's form
 * encoding JSON-encodes objects into a string field; a JSON body carries them as-is.
 * `malformedError` is the Slack code for unparseable input.
 */
export function optionalJson(
  args: MethodArgs,
  name: string,
  malformedError = "invalid_arguments",
): unknown {
  const value = args[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    if (malformedError === "invalid_arguments") throw invalidArguments(`invalid JSON in ${name}`);
    throw new SlackApiError(malformedError);
  }
}

/** An optional JSON array argument; anything but an array is `malformedError`. */
export function optionalJsonArray(
  args: MethodArgs,
  name: string,
  malformedError = "invalid_arguments",
): unknown[] | undefined {
  const value = optionalJson(args, name, malformedError);
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value;
  if (malformedError === "invalid_arguments") throw invalidArguments(`${name} must be an array`);
  throw new SlackApiError(malformedError);
}
