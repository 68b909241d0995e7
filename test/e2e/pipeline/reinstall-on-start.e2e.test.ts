// A reinstall in single-token mode (ADR-034): the operator puts the new bot token in place and
// restarts core; when Slack's auth.test accepts it for a workspace marked uninstalled, the mark
// goes and the purge is off. Only that workspace: another one stays uninstalled.
import { afterAll, describe, expect, test } from "bun:test";
import { type Pipeline, startPipeline, waitFor } from "./harness";

const RETURNING = "T0RETURN01";
const ELSEWHERE = "T0ELSEWHR1";

let pipeline: Pipeline | undefined;

afterAll(async () => {
  await pipeline?.stop();
});

describe("core starting with a token Slack accepts", () => {
  test("restores the workspace auth.test names, and only that one", async () => {
    const first = await startPipeline({ slackTeam: RETURNING });
    const lifecycle = first.services.deps.workspaceLifecycle;
    const now = Date.now();
    for (const teamId of [RETURNING, ELSEWHERE]) {
      await lifecycle.markUninstalled(teamId, new Date(now), new Date(now + 3_600_000));
    }
    await first.stop();

    // The restart: auth.test answers RETURNING.
    pipeline = await startPipeline({ slackTeam: RETURNING });
    const restarted = pipeline.services.deps.workspaceLifecycle;
    await waitFor(
      async () => (await restarted.state(RETURNING))?.uninstalledAt === null,
      "the reinstall to be recorded",
    );
    expect((await restarted.state(RETURNING))?.purgeAfter ?? null).toBeNull();
    expect((await restarted.state(ELSEWHERE))?.uninstalledAt).toBeInstanceOf(Date);
    const actions = (await pipeline.services.deps.auditLog.list(RETURNING)).map((e) => e.action);
    expect(actions).toContain("workspace.reinstalled");
  }, 30_000);
});
