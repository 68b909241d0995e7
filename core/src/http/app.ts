/**
 * Builds core's HTTP app (Hono). A function rather than a module-level app so each server and
 * each test gets its own instance with its own dependencies; later issues add the internal
 * Slack route, /health and /metrics here.
 */
import { Hono } from "hono";
import { PupError } from "../errors";
import type { Logger } from "../logging/logger";

/** What the HTTP layer needs from the composition root. */
export interface CoreAppDependencies {
  logger: Logger;
}

/** Creates core's HTTP app. */
export function createCoreApp(deps: CoreAppDependencies): Hono {
  const app = new Hono();

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.notFound((c) => c.json({ error: "not_found" }, 404));
  app.onError((error, c) => {
    const code = error instanceof PupError ? error.code : "internal_error";
    deps.logger.error({ err: error, code, path: c.req.path }, "request failed");
    return c.json({ error: "internal_error" }, 500);
  });

  return app;
}
