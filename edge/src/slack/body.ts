/**
 * Turns a verified raw body into data: JSON for the Events API, form fields for commands and
 * interactions, and the one question every form body is asked first: is this only Slack's
 * `ssl_check` probe? Runs only after the signature check, so nothing here sees unsigned input.
 */

export type ParsedBody<T> = { ok: true; value: T } | { ok: false };

const decoder = new TextDecoder();

/** The body as text; invalid UTF-8 becomes U+FFFD and then fails the parsers below. */
export function bodyText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Parses a JSON object body; arrays, primitives and syntax errors are all "not ok". */
export function parseJsonObject(text: string): ParsedBody<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false };
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false };
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` body into fields. A name sent twice is refused:
 * Slack never does it, and "which one wins" is how parsers get confused into disagreeing.
 */
export function parseForm(text: string): ParsedBody<Record<string, string>> {
  if (text.length === 0) return { ok: false };
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, name)) return { ok: false };
    fields[name] = value;
  }
  return { ok: true, value: fields };
}

const SSL_CHECK_FIELDS = new Set(["ssl_check", "token"]);

/**
 * True only for Slack's certificate probe: `ssl_check=1` with nothing but an optional `token`.
 * A body that carries other fields is whatever those fields make it, never a pass.
 */
export function isSslCheck(fields: Record<string, string>): boolean {
  if (fields.ssl_check !== "1") return false;
  return Object.keys(fields).every((name) => SSL_CHECK_FIELDS.has(name));
}

/** True when the request says it carries form fields. */
export function isFormEncoded(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded") === true;
}
