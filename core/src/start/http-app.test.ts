import { describe, expect, test } from "bun:test";
import { createLogger } from "../adapters/pino/logger";
import { PupError } from "../shared/errors";
import { baseHttpApp } from "./http-app";

function build() {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    env: "development",
    name: "core",
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { app: baseHttpApp(logger), lines };
}

describe("core HTTP app", () => {
  test("GET /healthz answers ok", async () => {
    const response = await build().app.request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  test("unknown paths get a JSON 404", async () => {
    const response = await build().app.request("/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found" });
  });

  test("errors become a JSON 500 and are logged with their code", async () => {
    const { app, lines } = build();
    app.get("/boom", () => {
      throw new PupError("database unreachable", { code: "db_unavailable", retryable: true });
    });
    const response = await app.request("/boom");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal_error" });
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ code: "db_unavailable", path: "/boom" });
  });

  test("each call builds an independent app", () => {
    expect(build().app).not.toBe(build().app);
  });
});
