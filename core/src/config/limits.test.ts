import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { ConfigError } from "../shared/errors";
import { DEFAULT_LIMITS, limitsEntries, toLimitsConfig } from "./limits";
import { loadConfig } from "./load";

const schema = v.pipe(v.object(limitsEntries), v.transform(toLimitsConfig));

describe("limits config", () => {
  test("defaults, and each variable overrides its limit", () => {
    expect(loadConfig(schema, {})).toEqual(DEFAULT_LIMITS);
    expect(
      loadConfig(schema, {
        PUP_USER_REPLIES_PER_MINUTE: "5",
        PUP_TEAM_REPLIES_PER_MINUTE: "50",
        PUP_USER_DAILY_TOKENS: "1000",
        PUP_DAILY_TOKEN_CAP: "99999",
      }),
    ).toEqual({ userPerMinute: 5, teamPerMinute: 50, userDailyTokens: 1000, dailyTokenCap: 99999 });
  });

  test("zero or a non-number stops the start, naming the variable", () => {
    let error: unknown;
    try {
      loadConfig(schema, { PUP_USER_REPLIES_PER_MINUTE: "0", PUP_DAILY_TOKEN_CAP: "lots" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((problem) => problem.variable);
    expect(problems).toEqual(["PUP_USER_REPLIES_PER_MINUTE", "PUP_DAILY_TOKEN_CAP"]);
  });
});
