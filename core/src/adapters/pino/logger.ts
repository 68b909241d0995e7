/**
 * Structured logging for core, workers and the demo: pino writing one JSON object per line,
 * with secret-bearing fields replaced before anything is written.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel, PupEnv } from "../../config/fields";

export type { Logger };

/** Field names whose values are secrets wherever they appear. */
const SECRET_KEYS = [
  "token",
  "botToken",
  "accessToken",
  "refreshToken",
  "authorization",
  "Authorization",
  "secret",
  "signingSecret",
  "coreSharedSecret",
  "apiKey",
  "password",
  "cookie",
  "set-cookie",
  "tokenEncryptionKey",
];

const SECRET = new Set(SECRET_KEYS.map((key) => key.toLowerCase()));
const CENSOR = "[redacted]";
/** Objects deeper than this are logged as they are (pino's own limits apply beyond). */
const MAX_DEPTH = 6;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` with every secret-named field (any case, up to MAX_DEPTH objects deep)
 * replaced, or `value` itself when nothing needed replacing. One walk per line: pino's
 * wildcard redact paths cost about 170 µs a line here (56 paths to three levels), this a few.
 * Errors keep their class (their own fields redacted); other class instances are left to pino's
 * serializers.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = redactSecrets(item, depth + 1);
      if (next !== item) {
        copy ??= [...value];
        copy[i] = next;
      }
    });
    return copy ?? value;
  }
  if (value instanceof Error) {
    // A Slack or HTTP error may carry its request in its own fields: redact those, keeping the
    // error's class so pino's serializer still names its type.
    let copy: Error | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = SECRET.has(key.toLowerCase()) ? CENSOR : redactSecrets(item, depth + 1);
      if (next === item) continue;
      if (!copy) {
        copy = Object.create(Object.getPrototypeOf(value)) as Error;
        Object.assign(copy, value, { message: value.message, stack: value.stack });
      }
      (copy as unknown as Record<string, unknown>)[key] = next;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = SECRET.has(key.toLowerCase()) ? CENSOR : redactSecrets(item, depth + 1);
    if (next !== item) {
      copy ??= { ...value };
      copy[key] = next;
    }
  }
  return copy ?? value;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Deployment environment, added to every line so mixed logs can be told apart. */
  env: PupEnv;
  /** The process or component: `core`, `worker`, `demo`. */
  name: string;
  /** Where lines go; default stdout. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** Creates a JSON-lines logger with secret redaction. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      base: { env: options.env, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names read better than pino's numbers in plain JSON lines; secrets never leave.
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
    },
    // Synchronous stdout: lines written just before process.exit are not lost.
    options.destination ?? pino.destination(1),
  );
}
