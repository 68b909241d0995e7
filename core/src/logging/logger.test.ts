import { describe, expect, test } from "bun:test";
import { createLogger } from "./logger";

/** A logger writing into an array, so tests read exactly what would reach stdout. */
function capture(level: "info" | "warn" = "info") {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    env: "staging",
    name: "core",
    destination: { write: (line: string) => void lines.push(line) },
  });
  return {
    logger,
    records: () => lines.map((line) => JSON.parse(line)),
    raw: () => lines.join(""),
  };
}

describe("createLogger", () => {
  test("writes one JSON object per line with level name, service and environment", () => {
    const { logger, records } = capture();
    logger.info({ port: 8080 }, "core listening");
    expect(records()).toEqual([
      expect.objectContaining({
        level: "info",
        name: "core",
        env: "staging",
        port: 8080,
        msg: "core listening",
        time: expect.any(String),
      }),
    ]);
  });

  test("redacts secret-bearing fields at any usual depth", () => {
    const { logger, records, raw } = capture();
    logger.info(
      {
        token: "xoxb-top-level",
        apiKey: "sk-api-key",
        request: { headers: { authorization: "Bearer xoxb-in-header", cookie: "session=abc" } },
        config: { slack: { botToken: "xoxb-nested" }, security: { coreSharedSecret: "shh" } },
        user: { id: "U1", password: "hunter2" },
        channel: "C123",
      },
      "calling slack",
    );
    const text = raw();
    for (const secret of ["xoxb-", "sk-api-key", "session=abc", "shh", "hunter2"]) {
      expect(text).not.toContain(secret);
    }
    const [record] = records();
    expect(record.token).toBe("[redacted]");
    expect(record.request.headers.authorization).toBe("[redacted]");
    expect(record.config.slack.botToken).toBe("[redacted]");
    expect(record.user).toEqual({ id: "U1", password: "[redacted]" });
    expect(record.channel).toBe("C123");
  });

  test("respects the level", () => {
    const { logger, records } = capture("warn");
    logger.info("not written");
    logger.warn("written");
    expect(records().map((record) => record.msg)).toEqual(["written"]);
  });
});
