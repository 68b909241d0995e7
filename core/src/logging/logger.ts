/**
 * Structured logging for core, workers and the demo: pino writing one JSON object per line,
 * with secret-bearing fields replaced before anything is written.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel, PupEnv } from "../config/fields";

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

/** Where those keys are redacted: top level and up to three objects deep (headers, config). */
const DEPTHS = ["", "*.", "*.*.", "*.*.*."];

/** pino redact paths (fast-redact syntax); bracket notation for names with a dash. */
export const REDACTED_PATHS: readonly string[] = DEPTHS.flatMap((prefix) =>
  SECRET_KEYS.map((key) => (key.includes("-") ? `${prefix}["${key}"]` : `${prefix}${key}`)),
);

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
      // Level names read better than pino's numbers in plain JSON lines.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
    },
    // Synchronous stdout: lines written just before process.exit are not lost.
    options.destination ?? pino.destination(1),
  );
}
