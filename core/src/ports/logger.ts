// Port: structured logging as the features use it. pino (core/src/adapters/pino) implements it;
// features never import pino, so a test can hand them any object with these four methods.

/** Logs `details` (an object) with a message, or a message alone. */
export type LogMethod = (details: object | string, message?: string) => void;

export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}
