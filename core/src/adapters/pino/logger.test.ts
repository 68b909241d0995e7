import { describe, expect, test } from "bun:test";
import { createLogger, redactSecrets } from "./logger";

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

  test("redacts inside errors and arrays too, and leaves clean lines untouched", () => {
    const { logger, records, raw } = capture();
    const error = Object.assign(new Error("slack said no"), {
      data: { token: "xoxb-in-error", ok: false },
    });
    logger.error(
      { err: error, calls: [{ headers: { Authorization: "Bearer xoxb-in-array" } }], n: 1 },
      "failed",
    );
    expect(raw()).not.toContain("xoxb-");
    const [record] = records();
    expect(record.err).toMatchObject({
      type: "Error",
      message: "slack said no",
      data: { token: "[redacted]", ok: false },
    });
    expect(record.calls[0].headers.Authorization).toBe("[redacted]");
    expect(record.n).toBe(1);
    const clean = { a: { b: [1, { c: "x" }] } };
    expect(redactSecrets(clean)).toBe(clean);
  });

  test("respects the level", () => {
    const { logger, records } = capture("warn");
    logger.info("not written");
    logger.warn("written");
    expect(records().map((record) => record.msg)).toEqual(["written"]);
  });
});
