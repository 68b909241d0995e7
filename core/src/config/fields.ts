/**
 * Reusable valibot schemas for single environment variables. Each one reads a raw string
 * (blank counts as unset, surrounding whitespace is dropped), and on failure reports a message
 * meant to follow `VARIABLE: `, never repeating a secret's value.
 *
 * A field is built from a value parser (what a well-formed value is) and a presence rule:
 * `required(p)`, `optional(p)` or `withDefault(p, value)`.
 */
import * as v from "valibot";

/** Outcome of reading one raw value. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** What a well-formed value of one kind is, and how to read it. */
export interface ValueParser<T> {
  /** Short description used in "required (...)" messages, e.g. "at least 32 characters". */
  expects: string;
  parse(raw: string): Parsed<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

/** Builds the valibot schema that applies a presence rule around a parser. */
function envField<T>(read: (raw: string | undefined) => Parsed<T>) {
  return v.pipe(
    v.unknown(),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const input = dataset.value;
      if (input !== undefined && typeof input !== "string") {
        addIssue({ message: "must be a string" });
        return NEVER;
      }
      const trimmed = input?.trim();
      const result = read(trimmed === "" ? undefined : trimmed);
      if (!result.ok) {
        addIssue({ message: result.problem });
        return NEVER;
      }
      return result.value;
    }),
  );
}

/** The variable must be set and well-formed. */
export function required<T>(parser: ValueParser<T>) {
  return envField<T>((raw) =>
    raw === undefined ? problem(`required (${parser.expects})`) : parser.parse(raw),
  );
}

/** The variable may be unset (output `undefined`); when set it must be well-formed. */
export function optional<T>(parser: ValueParser<T>) {
  return envField<T | undefined>((raw) => (raw === undefined ? ok(undefined) : parser.parse(raw)));
}

/** The variable may be unset, in which case `fallback` is used. */
export function withDefault<T>(parser: ValueParser<T>, fallback: T) {
  return envField<T>((raw) => (raw === undefined ? ok(fallback) : parser.parse(raw)));
}

/** Quotes a non-secret value for an error message, shortened so a pasted blob stays readable. */
function quote(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

/** A URL as it may be shown in messages and logs: credentials and query string masked. */
export function maskUrl(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, "//***@").replace(/\?.*$/, "?***");
}

/** Any non-empty text, e.g. a model name or a directory. */
export const text: ValueParser<string> = { expects: "any text", parse: ok };

/** Options for {@link url}. */
export interface UrlOptions {
  /** Accepted schemes with their colon, e.g. `["http:", "https:"]`. */
  schemes: readonly string[];
  /** Human description, e.g. "an http(s) URL". */
  label: string;
  /** Normalise the trailing slash: SDK base URLs want one, origins we append paths to don't. */
  trailingSlash?: "add" | "strip";
}

/** A URL with one of the given schemes. Credentials in it are never echoed in messages. */
export function url(options: UrlOptions): ValueParser<string> {
  return {
    expects: options.label,
    parse(raw) {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        return problem(`must be ${options.label}, got ${quote(maskUrl(raw))}`);
      }
      if (!options.schemes.includes(parsed.protocol)) {
        return problem(`must be ${options.label}, got ${quote(maskUrl(raw))}`);
      }
      if (options.trailingSlash === "add" && !raw.endsWith("/")) return ok(`${raw}/`);
      if (options.trailingSlash === "strip") return ok(raw.replace(/\/+$/, ""));
      return ok(raw);
    },
  };
}

/** An http:// or https:// URL. */
export const httpUrl = (trailingSlash?: "add" | "strip") =>
  url({ schemes: ["http:", "https:"], label: "an http(s) URL", trailingSlash });

/** A PostgreSQL connection URL. */
export const postgresUrl = url({
  schemes: ["postgres:", "postgresql:"],
  label: "a postgres:// or postgresql:// URL",
});

/** A Redis connection URL (TLS with rediss://). */
export const redisUrl = url({
  schemes: ["redis:", "rediss:"],
  label: "a redis:// or rediss:// URL",
});

/** A secret of at least `minLength` characters. Only its length is ever reported. */
export function secret(minLength: number): ValueParser<string> {
  return {
    expects: `at least ${minLength} characters`,
    parse: (raw) =>
      raw.length >= minLength
        ? ok(raw)
        : problem(`must be at least ${minLength} characters, got ${raw.length}`),
  };
}

/** An integer within [min, max], written in decimal. */
export function integerBetween(min: number, max: number): ValueParser<number> {
  return {
    expects: `an integer between ${min} and ${max}`,
    parse(raw) {
      const value = Number(raw);
      return /^-?\d+$/.test(raw) && value >= min && value <= max
        ? ok(value)
        : problem(`must be an integer between ${min} and ${max}, got ${quote(raw)}`);
    },
  };
}

/** A number within [min, max], written in decimal; a fraction is allowed (`0.5`, `.25`). */
export function numberBetween(min: number, max: number): ValueParser<number> {
  return {
    expects: `a number between ${min} and ${max}`,
    parse(raw) {
      const value = Number(raw);
      return /^-?(\d+(\.\d*)?|\.\d+)$/.test(raw) && value >= min && value <= max
        ? ok(value)
        : problem(`must be a number between ${min} and ${max}, got ${quote(raw)}`);
    },
  };
}

/** A TCP port; 0 asks the OS for a free one (handy for tests). */
export const port: ValueParser<number> = {
  expects: "a port number between 0 and 65535",
  parse(raw) {
    const value = Number(raw);
    return /^\d+$/.test(raw) && value <= 65535
      ? ok(value)
      : problem(`must be a port number between 0 and 65535, got ${quote(raw)}`);
  },
};

/** One of a fixed list of words, compared exactly. */
export function oneOf<const T extends string>(values: readonly T[]): ValueParser<T> {
  const list = values.join(", ");
  return {
    expects: `one of ${list}`,
    parse: (raw) =>
      (values as readonly string[]).includes(raw)
        ? ok(raw as T)
        : problem(`must be one of ${list}, got ${quote(raw)}`),
  };
}

/** Deployment environments; staging and production refuse the in-process fallbacks. */
export const PUP_ENVS = ["development", "staging", "production"] as const;
export type PupEnv = (typeof PUP_ENVS)[number];
export const pupEnv = oneOf(PUP_ENVS);

/** pino's level names. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const logLevel = oneOf(LOG_LEVELS);

/** A Slack bot token. Only a recognisable `xox?-` prefix is echoed, never the token. */
export const slackBotToken: ValueParser<string> = {
  expects: 'a bot token starting with "xoxb-"',
  parse(raw) {
    if (raw.startsWith("xoxb-") && raw.length > 5) return ok(raw);
    const kind = /^xox[a-z]-/.test(raw) ? `, got a "${raw.slice(0, 5)}" token` : "";
    return problem(`must be a bot token starting with "xoxb-"${kind}`);
  },
};

/** A random key of exactly `bytes` bytes, base64-encoded. Output is the decoded bytes. */
export function base64Key(bytes: number): ValueParser<Uint8Array> {
  const how = `${bytes} bytes encoded as base64 (e.g. \`openssl rand -base64 ${bytes}\`)`;
  return {
    expects: how,
    parse(raw) {
      let decoded: string;
      try {
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) throw new Error("not base64");
        decoded = atob(raw);
      } catch {
        return problem(`must be ${how}, got a value that is not base64`);
      }
      if (decoded.length !== bytes) {
        return problem(`must be ${how}, got ${decoded.length} bytes`);
      }
      return ok(Uint8Array.from(decoded, (char) => char.charCodeAt(0)));
    },
  };
}
