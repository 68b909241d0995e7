import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { ConfigError } from "../shared/errors";
import { integerBetween, port, required, secret, withDefault } from "./fields";
import { loadConfig } from "./load";

const schema = v.object({
  PORT: withDefault(port, 8080),
  WIDTH: required(integerBetween(1, 10)),
  TOKEN: required(secret(8)),
});

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n").slice(1);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("returns the typed output", () => {
    expect(loadConfig(schema, { WIDTH: "3", TOKEN: "12345678" })).toEqual({
      PORT: 8080,
      WIDTH: 3,
      TOKEN: "12345678",
    });
  });

  test("lists every problem at once, one line each, naming the variable", () => {
    expect(problemsOf(() => loadConfig(schema, { PORT: "http", TOKEN: "short" }))).toEqual([
      '  PORT: must be a port number between 0 and 65535, got "http"',
      "  WIDTH: required (an integer between 1 and 10)",
      "  TOKEN: must be at least 8 characters, got 5",
    ]);
  });

  test("ConfigError carries the problems as data too", () => {
    try {
      loadConfig(schema, {});
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((problem) => problem.variable)).toEqual([
        "WIDTH",
        "TOKEN",
      ]);
    }
  });

  test("reads only the variables the schema names", () => {
    const output = loadConfig(schema, { WIDTH: "1", TOKEN: "12345678", HOME: "/root" });
    expect(Object.keys(output).sort()).toEqual(["PORT", "TOKEN", "WIDTH"]);
  });
});
