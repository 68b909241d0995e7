import { describe, expect, test } from "bun:test";
import { ConfigError, PupError } from "./errors";

describe("PupError", () => {
  test("carries code, retryable and cause", () => {
    const cause = new Error("socket hang up");
    const error = new PupError("Slack did not answer", {
      code: "slack_unavailable",
      retryable: true,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("PupError");
    expect(error.code).toBe("slack_unavailable");
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
  });

  test("is not retryable unless said so", () => {
    expect(new PupError("bad input", { code: "invalid" }).retryable).toBe(false);
  });
});

describe("ConfigError", () => {
  test("is a non-retryable PupError listing one problem per line", () => {
    const error = new ConfigError([
      { variable: "PORT", message: 'must be a port number between 0 and 65535, got "x"' },
      { variable: "CORE_SHARED_SECRET", message: "required (at least 32 characters)" },
    ]);
    expect(error).toBeInstanceOf(PupError);
    expect(error.name).toBe("ConfigError");
    expect(error.code).toBe("config_invalid");
    expect(error.retryable).toBe(false);
    expect(error.message.split("\n")).toEqual([
      "Invalid configuration (2 problems):",
      '  PORT: must be a port number between 0 and 65535, got "x"',
      "  CORE_SHARED_SECRET: required (at least 32 characters)",
    ]);
  });
});
