/**
 * The process entries as operators run them: core and the worker as real child processes
 * (exit codes, stderr, HTTP, signals, a real Redis), and the edge bundle inside real workerd.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";

const ROOT = join(import.meta.dir, "..", "..");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SHARED_SECRET = "entrypoint-test-shared-secret-0123456789";

/** Starts `bun <script> ...args` from the repository root with only the given variables. */
function start(script: string, env: Record<string, string>, args: string[] = []) {
  return Bun.spawn({
    cmd: [process.execPath, script, ...args],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}

type Child = ReturnType<typeof start>;

/** Reads JSON log lines from stdout until one matches, or fails after `timeoutMs`. */
async function waitForLog(
  child: Child,
  matches: (record: Record<string, unknown>) => boolean,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  let buffered = "";
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        Bun.sleep(deadline - Date.now()).then(() => ({ done: true, value: undefined })),
      ]);
      if (chunk.done) break;
      buffered += decoder.decode(chunk.value, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (matches(record)) return record;
      }
    }
  } finally {
    reader.releaseLock();
  }
  child.kill("SIGKILL");
  throw new Error(`no matching log line; stderr: ${await new Response(child.stderr).text()}`);
}

const running: Child[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("core entry", () => {
  test("a bad environment exits 1 naming every variable at fault", async () => {
    const child = start("core/src/main.ts", {
      SLACK_BOT_TOKEN: "xoxb-entrypoint-test",
      EMBEDDING_DIMENSIONS: "lots",
    });
    expect(await child.exited).toBe(1);
    const stderr = await new Response(child.stderr).text();
    expect(stderr).toContain("CORE_SHARED_SECRET: required (at least 32 characters)");
    expect(stderr).toContain(
      'EMBEDDING_DIMENSIONS: must be an integer between 1 and 2000, got "lots"',
    );
    expect(stderr).not.toContain("xoxb-entrypoint-test");
  });

  test("an invalid persona file exits 1 naming the file and every problem", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pup-persona-"));
    const file = join(dir, "persona.json");
    await Bun.write(file, JSON.stringify({ name: "", traits: [], voice: "calm" }));
    try {
      const child = start("core/src/main.ts", {
        SLACK_BOT_TOKEN: "xoxb-entrypoint-test",
        CORE_SHARED_SECRET: SHARED_SECRET,
        DATABASE_URL: process.env.PUP_TEST_DATABASE_URL ?? "",
        PUP_PERSONA_FILE: file,
      });
      expect(await child.exited).toBe(1);
      const stderr = await new Response(child.stderr).text();
      expect(stderr).toContain(file);
      expect(stderr).toContain("name");
      expect(stderr).toContain("traits");
      expect(stderr.split("\n").filter((line) => line.startsWith("core: ")).length).toBeGreaterThan(
        1,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("serves /healthz and exits 0 on SIGTERM", async () => {
    const child = start("core/src/main.ts", {
      PORT: "0",
      SLACK_BOT_TOKEN: "xoxb-entrypoint-test",
      CORE_SHARED_SECRET: SHARED_SECRET,
      DATABASE_URL: process.env.PUP_TEST_DATABASE_URL ?? "",
      // Slack is never reached here: /healthz does not ask it.
      SLACK_API_URL: "http://127.0.0.1:9/api/",
    });
    running.push(child);
    const listening = await waitForLog(child, (record) => record.msg === "core listening");
    const base = `http://127.0.0.1:${listening.port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "not_found" });

    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  });
});

describe("worker entry", () => {
  test("an unknown queue exits 1 naming it", async () => {
    const child = start("workers/src/main.ts", { REDIS_URL }, ["--queues", "embedding,bogus"]);
    expect(await child.exited).toBe(1);
    const stderr = await new Response(child.stderr).text();
    expect(stderr).toContain('--queues: unknown queue "bogus"');
  });

  test("connects to the real Redis, reports its queues and exits 0 on SIGTERM", async () => {
    const child = start(
      "workers/src/main.ts",
      {
        REDIS_URL,
        DATABASE_URL: process.env.PUP_TEST_DATABASE_URL ?? "",
        PUP_REDIS_PREFIX: `${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test"}:entry`,
      },
      ["--queues", "embedding,summary"],
    );
    running.push(child);
    const ready = await waitForLog(
      child,
      (record) => record.msg?.toString().startsWith("worker ready") === true,
    );
    expect(ready.queues).toEqual(["embedding", "summary"]);
    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  });

  test("a refused Redis connection exits 1 with a clear message", async () => {
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = closed.port;
    closed.stop(true);
    const child = start("workers/src/main.ts", { REDIS_URL: `redis://127.0.0.1:${port}` }, [
      "--queues",
      "embedding",
    ]);
    expect(await child.exited).toBe(1);
    const stderr = await new Response(child.stderr).text();
    expect(stderr).toContain(`cannot reach Redis at redis://127.0.0.1:${port} (REDIS_URL)`);
  });

  test("a Redis that never answers exits 1 within a few seconds", { timeout: 15_000 }, async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const startedAt = Date.now();
      const child = start(
        "workers/src/main.ts",
        { REDIS_URL: `redis://:hunter2@127.0.0.1:${silent.port}` },
        ["--queues", "embedding"],
      );
      expect(await child.exited).toBe(1);
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      const stderr = await new Response(child.stderr).text();
      expect(stderr).toContain("no answer within 5 s");
      expect(stderr).not.toContain("hunter2");
    } finally {
      silent.stop(true);
    }
  });
});

describe("edge entry in workerd", () => {
  test("the bundled Worker answers /healthz, and 500 when misconfigured", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "pup-edge-"));
    const build = await Bun.build({
      entrypoints: [join(ROOT, "edge/src/index.ts")],
      outdir,
      target: "browser",
      format: "esm",
    });
    expect(build.success).toBe(true);
    // Passed as text: workerd refuses module paths outside miniflare's working directory.
    const script = await build.outputs[0]?.text();
    const bindings = {
      SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
      CORE_URL: "http://127.0.0.1:8080",
      CORE_SHARED_SECRET: SHARED_SECRET,
    };
    const worker = (extra: Record<string, string>) =>
      new Miniflare({
        script,
        modules: true,
        compatibilityDate: "2026-07-01",
        bindings: { ...bindings, ...extra },
        cf: false,
      });
    const healthy = worker({});
    const broken = worker({ CORE_URL: "not a url" });
    try {
      const ok = await healthy.dispatchFetch("http://edge.test/healthz");
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ status: "ok" });
      const bad = await broken.dispatchFetch("http://edge.test/healthz");
      expect(bad.status).toBe(500);
      expect(await bad.json()).toEqual({ error: "edge_misconfigured", variables: ["CORE_URL"] });
    } finally {
      await Promise.all([healthy.dispose(), broken.dispose()]);
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
