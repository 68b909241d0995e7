/**
 * Core's surface as an operator runs it (`bun run core` as a child process): loopback by default,
 * /metrics and /health behind PUP_METRICS_TOKEN, /healthz open, and production refusing to start
 * without the token (issue 14, point 10).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const SHARED_SECRET = "core-surface-test-shared-secret-0123456789";
const TOKEN = "core-surface-metrics-token";
const BOT_TOKEN = `xox${"b-"}0000-core-surface`;

function start(env: Record<string, string>) {
  return Bun.spawn({
    cmd: [process.execPath, "core/src/main.ts"],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}
type Child = ReturnType<typeof start>;

const running: Child[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
});

/** The "core listening" log line, or a failure with stderr after 15 s. */
async function listening(child: Child): Promise<{ host: string; port: number }> {
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const deadline = Date.now() + 15_000;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        Bun.sleep(deadline - Date.now()).then(() => ({ done: true as const, value: undefined })),
      ]);
      if (chunk.done) break;
      buffered += decoder.decode(chunk.value, { stream: true });
      for (const line of buffered.split("\n").slice(0, -1)) {
        const record = JSON.parse(line) as { msg?: string; host?: string; port?: number };
        if (record.msg === "core listening")
          return { host: record.host ?? "", port: record.port ?? 0 };
      }
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    }
  } finally {
    reader.releaseLock();
  }
  child.kill("SIGKILL");
  throw new Error(`core did not listen; stderr: ${await new Response(child.stderr).text()}`);
}

const coreEnv = {
  PORT: "0",
  SLACK_BOT_TOKEN: BOT_TOKEN,
  CORE_SHARED_SECRET: SHARED_SECRET,
  DATABASE_URL: process.env.PUP_TEST_DATABASE_URL ?? "",
  SLACK_API_URL: "http://127.0.0.1:9/api/",
  LOG_LEVEL: "info",
};

describe("core's surface", () => {
  test("binds 127.0.0.1 in development; /metrics and /health need the token, /healthz not", async () => {
    const child = start({ ...coreEnv, PUP_METRICS_TOKEN: TOKEN });
    running.push(child);
    const { host, port } = await listening(child);
    expect(host).toBe("127.0.0.1");
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const path of ["/metrics", "/health"]) {
      expect((await fetch(`${base}${path}`)).status).toBe(401);
      const wrong = await fetch(`${base}${path}`, { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
    }
    const metrics = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("pup_http_requests_total");
    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  }, 30_000);

  test("production without PUP_METRICS_TOKEN exits 1 naming it", async () => {
    const child = start({
      ...coreEnv,
      PUP_ENV: "production",
      HOST: "127.0.0.1",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(await child.exited).toBe(1);
    const stderr = await new Response(child.stderr).text();
    expect(stderr).toContain("PUP_METRICS_TOKEN: required when PUP_ENV is production");
  }, 30_000);
});
