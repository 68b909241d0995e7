import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { workerConfigSchema } from "../../../workers/src/config";
import { DEFAULT_SWEEP_DELAY_MS, DEFAULT_UNINSTALL_GRACE_MS } from "../features/forget";
import { ConfigError } from "../shared/errors";
import { loadCoreConfig } from "./core";
import { loadConfig } from "./load";
import { DEFAULT_PRIVACY, privacyEntries, SWEEP_BEFORE_LEASE, toPrivacyConfig } from "./privacy";

const schema = v.pipe(v.object(privacyEntries), v.transform(toPrivacyConfig));

/** The smallest valid core environment. */
const core = {
  SLACK_BOT_TOKEN: "xoxb-1111-2222-bot-token-value",
  CORE_SHARED_SECRET: "s3cr3t-shared-between-edge-and-core",
};
const production = {
  ...core,
  PUP_ENV: "production",
  REDIS_URL: "redis://127.0.0.1:6379",
  HOST: "0.0.0.0",
  PUP_METRICS_TOKEN: "metrics-token-of-some-length",
};

function problems(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("privacy config", () => {
  test("defaults are the forget feature's: a 5 minute sweep and a 72 hour grace", () => {
    expect(loadConfig(schema, {})).toEqual(DEFAULT_PRIVACY);
    expect(DEFAULT_PRIVACY).toEqual({
      forgetSweepDelayMs: DEFAULT_SWEEP_DELAY_MS,
      uninstallGraceMs: DEFAULT_UNINSTALL_GRACE_MS,
    });
    expect(loadCoreConfig(core).privacy).toEqual(DEFAULT_PRIVACY);
  });

  test("the grace period is in hours and takes decimals; the sweep delay in whole ms", () => {
    expect(
      loadCoreConfig({
        ...core,
        PUP_FORGET_SWEEP_DELAY_MS: "250",
        PUP_UNINSTALL_GRACE_HOURS: "0.001",
      }).privacy,
    ).toEqual({ forgetSweepDelayMs: 250, uninstallGraceMs: 3600 });
    expect(loadConfig(schema, { PUP_UNINSTALL_GRACE_HOURS: "24" }).uninstallGraceMs).toBe(
      86_400_000,
    );
    expect(loadConfig(schema, { PUP_UNINSTALL_GRACE_HOURS: "0" }).uninstallGraceMs).toBe(0);
  });

  test("malformed or out-of-range values stop the start, each named", () => {
    const found = problems(() =>
      loadCoreConfig({
        ...core,
        PUP_FORGET_SWEEP_DELAY_MS: "1.5",
        PUP_UNINSTALL_GRACE_HOURS: "three days",
      }),
    );
    expect(found).toEqual([
      {
        variable: "PUP_FORGET_SWEEP_DELAY_MS",
        message: 'must be an integer between 0 and 86400000, got "1.5"',
      },
      {
        variable: "PUP_UNINSTALL_GRACE_HOURS",
        message: 'must be a number between 0 and 720, got "three days"',
      },
    ]);
    expect(problems(() => loadConfig(schema, { PUP_UNINSTALL_GRACE_HOURS: "721" }))).toHaveLength(
      1,
    );
    expect(problems(() => loadConfig(schema, { PUP_FORGET_SWEEP_DELAY_MS: "-1" }))).toHaveLength(1);
  });

  test("outside development the sweep must come after the reply claim lease", () => {
    expect(loadCoreConfig(production).privacy).toEqual(DEFAULT_PRIVACY);
    expect(
      problems(() => loadCoreConfig({ ...production, PUP_FORGET_SWEEP_DELAY_MS: "180000" })),
    ).toEqual([{ variable: "PUP_FORGET_SWEEP_DELAY_MS", message: SWEEP_BEFORE_LEASE }]);
    // A short lease lets a short sweep through; development takes any delay (tests, trials).
    expect(
      loadCoreConfig({
        ...production,
        PUP_FORGET_SWEEP_DELAY_MS: "6000",
        PUP_REPLY_TIMEOUT_MS: "2000",
        PUP_REPLY_CLAIM_LEASE_MS: "5000",
      }).privacy.forgetSweepDelayMs,
    ).toBe(6000);
    expect(loadCoreConfig({ ...core, PUP_FORGET_SWEEP_DELAY_MS: "0" }).privacy).toEqual({
      ...DEFAULT_PRIVACY,
      forgetSweepDelayMs: 0,
    });
  });

  test("workers read the same variables with the same checks", () => {
    const worker = {
      REDIS_URL: "redis://127.0.0.1:6379",
      PUP_ENV: "staging",
      PUP_UNINSTALL_GRACE_HOURS: "1.5",
    };
    expect(loadConfig(workerConfigSchema, worker).privacy).toEqual({
      forgetSweepDelayMs: DEFAULT_SWEEP_DELAY_MS,
      uninstallGraceMs: 5_400_000,
    });
    expect(
      problems(() =>
        loadConfig(workerConfigSchema, { ...worker, PUP_FORGET_SWEEP_DELAY_MS: "1000" }),
      ),
    ).toEqual([{ variable: "PUP_FORGET_SWEEP_DELAY_MS", message: SWEEP_BEFORE_LEASE }]);
  });
});
