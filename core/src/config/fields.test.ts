import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import {
  base64Key,
  httpUrl,
  integerBetween,
  logLevel,
  maskUrl,
  numberBetween,
  optional,
  port,
  postgresUrl,
  pupEnv,
  redisUrl,
  required,
  secret,
  slackBotToken,
  type ValueParser,
  withDefault,
} from "./fields";

/** Runs a required field over one raw value; returns the output or the problem text. */
function check<T>(parser: ValueParser<T>, raw: string | undefined): T | string {
  const result = v.safeParse(required(parser), raw);
  return result.success ? result.output : `problem: ${result.issues[0]?.message}`;
}

describe("presence rules", () => {
  test("required reports what it expects when unset or blank", () => {
    expect(check(secret(32), undefined)).toBe("problem: required (at least 32 characters)");
    expect(check(secret(32), "   ")).toBe("problem: required (at least 32 characters)");
  });

  test("optional gives undefined when unset and still validates when set", () => {
    expect(v.parse(optional(port), undefined)).toBeUndefined();
    expect(v.parse(optional(port), "")).toBeUndefined();
    expect(v.safeParse(optional(port), "http").success).toBe(false);
  });

  test("withDefault falls back only when unset", () => {
    expect(v.parse(withDefault(port, 8080), undefined)).toBe(8080);
    expect(v.parse(withDefault(port, 8080), " 9000 ")).toBe(9000);
  });

  test("non-string input is rejected", () => {
    expect(v.safeParse(required(port), 8080).success).toBe(false);
  });
});

describe("value parsers", () => {
  test("integerBetween accepts the range and names it when refusing", () => {
    const dims = integerBetween(1, 2000);
    expect(check(dims, "512")).toBe(512);
    expect(check(dims, "2000")).toBe(2000);
    for (const bad of ["abc", "0", "2001", "1.5", "-3", "1e3"]) {
      expect(check(dims, bad)).toBe(
        `problem: must be an integer between 1 and 2000, got ${JSON.stringify(bad)}`,
      );
    }
  });

  test("numberBetween accepts decimals within the range and names it when refusing", () => {
    const hours = numberBetween(0, 720);
    expect(check(hours, "72")).toBe(72);
    expect(check(hours, "0.001")).toBe(0.001);
    expect(check(hours, ".5")).toBe(0.5);
    expect(check(hours, "0")).toBe(0);
    expect(check(hours, "720")).toBe(720);
    for (const bad of ["abc", "-1", "720.5", "1e3", "0x10", "1,5", "Infinity", "."]) {
      expect(check(hours, bad)).toBe(
        `problem: must be a number between 0 and 720, got ${JSON.stringify(bad)}`,
      );
    }
  });

  test("port allows 0 (ask the OS) up to 65535", () => {
    expect(check(port, "0")).toBe(0);
    expect(check(port, "65535")).toBe(65535);
    expect(check(port, "65536")).toStartWith("problem: must be a port number");
  });

  test("enums list their values", () => {
    expect(check(pupEnv, "staging")).toBe("staging");
    expect(check(pupEnv, "prod")).toBe(
      'problem: must be one of development, staging, production, got "prod"',
    );
    expect(check(logLevel, "silent")).toBe("silent");
    expect(check(logLevel, "verbose")).toStartWith("problem: must be one of fatal, error, warn");
  });

  test("URLs are checked by scheme", () => {
    expect(check(httpUrl(), "https://core.example")).toBe("https://core.example");
    expect(check(httpUrl(), "ftp://x")).toBe('problem: must be an http(s) URL, got "ftp://x"');
    expect(check(httpUrl(), "localhost:8080")).toStartWith("problem: must be an http(s) URL");
    expect(check(postgresUrl, "postgresql://postgres@127.0.0.1/test")).toStartWith("postgresql:");
    expect(check(postgresUrl, "postgres://postgres@127.0.0.1/test")).toStartWith("postgres:");
    expect(check(redisUrl, "rediss://127.0.0.1:6380")).toBe("rediss://127.0.0.1:6380");
    expect(check(redisUrl, "http://127.0.0.1:6379")).toStartWith("problem: must be a redis://");
  });

  test("URL trailing slash is normalised on request", () => {
    expect(check(httpUrl("add"), "http://127.0.0.1:9999/api")).toBe("http://127.0.0.1:9999/api/");
    expect(check(httpUrl("add"), "http://127.0.0.1:9999/api/")).toBe("http://127.0.0.1:9999/api/");
    expect(check(httpUrl("strip"), "http://127.0.0.1:8080//")).toBe("http://127.0.0.1:8080");
  });

  test("URL credentials and query strings never reach a message", () => {
    const message = String(check(postgresUrl, "mysql://admin:hunter2@db/x?password=hunter3"));
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("hunter3");
    expect(maskUrl("redis://:pw@127.0.0.1:6379/0")).toBe("redis://***@127.0.0.1:6379/0");
  });

  test("secrets report their length, never their value", () => {
    expect(check(secret(32), "short-secret-value")).toBe(
      "problem: must be at least 32 characters, got 18",
    );
  });

  test("bot tokens must be xoxb- and only the token kind is echoed", () => {
    expect(check(slackBotToken, "xoxb-123-abc")).toBe("xoxb-123-abc");
    expect(check(slackBotToken, "xoxp-user-token-value")).toBe(
      'problem: must be a bot token starting with "xoxb-", got a "xoxp-" token',
    );
    expect(check(slackBotToken, "not-a-token")).toBe(
      'problem: must be a bot token starting with "xoxb-"',
    );
  });

  test("base64 keys must decode to the exact length", () => {
    const key = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i)));
    const decoded = check(base64Key(32), key);
    expect(decoded).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded as Uint8Array).slice(0, 3)).toEqual([0, 1, 2]);
    expect(check(base64Key(32), btoa("sixteen bytes!!!"))).toEndWith("got 16 bytes");
    expect(check(base64Key(32), "not base64 at all!")).toEndWith("got a value that is not base64");
  });
});
