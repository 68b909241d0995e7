import type { LimitsConfig } from "../../config/limits";
import type { Ports } from "../../ports";

/** Limits count in the rate limiter, tell the asker through Slack, and read the clock. */
export type LimitsDeps = Pick<Ports, "limiter" | "slack" | "logger" | "now"> & {
  limits: LimitsConfig;
};
