/**
 * When forgetting runs again and how long an uninstalled workspace is kept (ADR-034). Core and
 * workers read the same section: a "forget me" or an uninstall may be handled by either, and
 * the delay it queues its follow-up with is read where it is handled.
 */
import { integerBetween, numberBetween, type PupEnv, withDefault } from "./fields";

export interface PrivacyConfig {
  /** How long after a "forget me" the sweep runs again (features/forget/deps.ts). */
  forgetSweepDelayMs: number;
  /** How long an uninstalled workspace's data is kept before it is purged. */
  uninstallGraceMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

/** The forget feature's own defaults (features/forget/deps.ts); a test keeps them equal. */
export const DEFAULT_PRIVACY: PrivacyConfig = {
  forgetSweepDelayMs: 5 * 60 * 1000,
  uninstallGraceMs: 72 * HOUR_MS,
};

/** A sweep later than a day would leave what was in flight around for longer than it must. */
export const MAX_FORGET_SWEEP_DELAY_MS = 24 * HOUR_MS;
/** Thirty days: no workspace's data outlives its uninstall by more. */
export const MAX_UNINSTALL_GRACE_HOURS = 30 * 24;

export const privacyEntries = {
  PUP_FORGET_SWEEP_DELAY_MS: withDefault(
    integerBetween(0, MAX_FORGET_SWEEP_DELAY_MS),
    DEFAULT_PRIVACY.forgetSweepDelayMs,
  ),
  // Hours, with decimals (`0.01` is 36 s), so tests and a trial install can use short ones.
  PUP_UNINSTALL_GRACE_HOURS: withDefault(
    numberBetween(0, MAX_UNINSTALL_GRACE_HOURS),
    DEFAULT_PRIVACY.uninstallGraceMs / HOUR_MS,
  ),
};

export const SWEEP_BEFORE_LEASE =
  "must be longer than PUP_REPLY_CLAIM_LEASE_MS in staging and production (a reply still in " +
  "flight when the sweep runs could keep what was forgotten)";

/**
 * Outside development the sweep must come after any reply that was in flight during the forget
 * could have ended (its claim lease); shorter delays are for tests and local trials.
 */
export function sweepOutlastsLease(input: {
  PUP_ENV: PupEnv;
  PUP_FORGET_SWEEP_DELAY_MS: number;
  PUP_REPLY_CLAIM_LEASE_MS: number;
}): boolean {
  return (
    input.PUP_ENV === "development" ||
    input.PUP_FORGET_SWEEP_DELAY_MS > input.PUP_REPLY_CLAIM_LEASE_MS
  );
}

export function toPrivacyConfig(input: {
  PUP_FORGET_SWEEP_DELAY_MS: number;
  PUP_UNINSTALL_GRACE_HOURS: number;
}): PrivacyConfig {
  return {
    forgetSweepDelayMs: input.PUP_FORGET_SWEEP_DELAY_MS,
    uninstallGraceMs: Math.round(input.PUP_UNINSTALL_GRACE_HOURS * HOUR_MS),
  };
}
