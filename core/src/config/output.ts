/**
 * What pup may post: the hosts links in its messages may point to (PUP_LINK_ALLOWLIST), and the
 * configured secret values the output filter removes wherever they appear. Every process that
 * posts (core, workers, the demo) reads the same section (ADR-023).
 */
import { optional, secret, type ValueParser, withDefault } from "./fields";

/** Slack itself and, as subdomains, every workspace's own `*.slack.com` (pup's permalinks). */
export const DEFAULT_LINK_ALLOWLIST: readonly string[] = ["slack.com"];

/** Comma-separated host names (`example.com`, `*.example.com`); each allows its subdomains. */
export const hostList: ValueParser<readonly string[]> = {
  expects: "comma-separated host names, e.g. slack.com,docs.example.com",
  parse(raw) {
    const hosts = raw
      .split(",")
      .map((host) => host.trim().toLowerCase())
      .filter((host) => host !== "");
    const bad = hosts.filter(
      (host) =>
        !/^(\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(
          host,
        ),
    );
    if (bad.length > 0) {
      return {
        ok: false,
        problem: `must be host names without scheme or path, got ${bad.map((h) => JSON.stringify(h)).join(", ")}`,
      };
    }
    return { ok: true, value: hosts };
  },
};

/**
 * The secret variables the filter knows by name. Core reads some of them for its own use; the
 * others (the edge's signing secret, the OAuth client secret, the app token) are read here only
 * so that their values, when set in this process's environment, are never posted.
 */
export const SECRET_VARIABLES = [
  "SLACK_SIGNING_SECRET",
  "SLACK_CLIENT_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_BOT_TOKEN",
  "CORE_SHARED_SECRET",
  "OPENAI_API_KEY",
  "PUP_METRICS_TOKEN",
  "PUP_TOKEN_ENCRYPTION_KEY",
] as const;

export const outputEntries = {
  PUP_LINK_ALLOWLIST: withDefault(hostList, DEFAULT_LINK_ALLOWLIST),
  SLACK_SIGNING_SECRET: optional(secret(1)),
};

export interface OutputConfig {
  /** Hosts links in pup's messages may point to (with their subdomains). */
  linkAllowlist: readonly string[];
  /** Values never posted: every configured secret. */
  secrets: readonly string[];
}

/**
 * The output section from parsed variables. `input` may hold any of {@link SECRET_VARIABLES}
 * (strings, or a parsed key's bytes, which are matched as the base64 they were written in).
 */
export function toOutputConfig(
  input: { PUP_LINK_ALLOWLIST: readonly string[] } & Partial<Record<string, unknown>>,
): OutputConfig {
  const secrets: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const value = input[name];
    if (typeof value === "string" && value !== "") secrets.push(value);
    if (value instanceof Uint8Array) secrets.push(Buffer.from(value).toString("base64"));
  }
  return { linkAllowlist: input.PUP_LINK_ALLOWLIST, secrets };
}
