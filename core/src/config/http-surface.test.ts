// HOST and PUP_METRICS_TOKEN: loopback and open pages in development, an explicit address in a
// deployment, and production refusing to start with /metrics and /health unguarded.
import { describe, expect, test } from "bun:test";
import { ConfigError } from "../shared/errors";
import { loadCoreConfig } from "./core";

const base = {
  SLACK_BOT_TOKEN: `xox${"b-"}1111-2222-test`,
  CORE_SHARED_SECRET: "s3cr3t-shared-between-edge-and-core",
  REDIS_URL: "redis://127.0.0.1:6379",
};
const TOKEN = "metrics-token-for-this-test";

function problems(env: Record<string, string>): string[] {
  try {
    loadCoreConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => `${p.variable}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("core's HTTP surface", () => {
  test("development binds 127.0.0.1 and leaves /metrics open unless a token is set", () => {
    const config = loadCoreConfig(base);
    expect(config.http).toEqual({ port: 8080, host: "127.0.0.1", metricsToken: undefined });
    expect(loadCoreConfig({ ...base, PUP_METRICS_TOKEN: TOKEN }).http.metricsToken).toBe(TOKEN);
  });

  test.each(["staging", "production"])("PUP_ENV=%s requires HOST, naming it", (env) => {
    const found = problems({ ...base, PUP_ENV: env, PUP_METRICS_TOKEN: TOKEN });
    expect(found).toEqual([expect.stringMatching(/^HOST: required when PUP_ENV is staging or/)]);
    const config = loadCoreConfig({
      ...base,
      PUP_ENV: env,
      HOST: "0.0.0.0",
      PUP_METRICS_TOKEN: TOKEN,
    });
    expect(config.http.host).toBe("0.0.0.0");
  });

  test("production refuses to start without PUP_METRICS_TOKEN, and never echoes a short one", () => {
    const env = { ...base, PUP_ENV: "production", HOST: "0.0.0.0" };
    expect(problems(env)).toEqual([
      expect.stringMatching(/^PUP_METRICS_TOKEN: required when PUP_ENV is production/),
    ]);
    expect(() => loadCoreConfig(env)).toThrow(ConfigError);
    expect(problems({ ...env, PUP_METRICS_TOKEN: "short-tok" })).toEqual([
      "PUP_METRICS_TOKEN: must be at least 16 characters, got 9",
    ]);
    expect(loadCoreConfig({ ...env, PUP_METRICS_TOKEN: TOKEN }).http.metricsToken).toBe(TOKEN);
  });

  test("staging may run without a token", () => {
    const config = loadCoreConfig({ ...base, PUP_ENV: "staging", HOST: "10.0.0.4" });
    expect(config.http).toEqual({ port: 8080, host: "10.0.0.4", metricsToken: undefined });
  });

  test("HOST must be an address, not a URL", () => {
    expect(problems({ ...base, HOST: "http://0.0.0.0" })).toEqual([
      "HOST: must be an address to bind (e.g. 127.0.0.1 or 0.0.0.0)",
    ]);
  });
});
