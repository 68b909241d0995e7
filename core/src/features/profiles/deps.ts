import type { Ports } from "../../ports";

/** How profiles are kept (services.ts picks the extractor from the configured model). */
export interface ProfileSettings {
  /** `model`: a structured request per batch; `offline`: the first-person patterns. */
  extractor: "model" | "offline";
  /** Queue a profile update for each person's message (benchmarks turn it off to compare). */
  enqueue: boolean;
  /** Messages from one person within a window make one job, run when the window closes. */
  windowMs: number;
}

export const DEFAULT_PROFILE_SETTINGS: ProfileSettings = {
  extractor: "offline",
  enqueue: true,
  windowMs: 60_000,
};

/** Producers (the events feature) only queue. */
export type ProfileEnqueueDeps = Pick<Ports, "queue" | "now"> & {
  profileSettings: ProfileSettings;
};

/** The profile job reads messages, asks the model (or the patterns) and writes facts. */
export type ProfileJobDeps = ProfileEnqueueDeps &
  Pick<Ports, "profiles" | "model" | "slack" | "logger">;

/** `/pup remember` lists facts with links to their sources. */
export type RememberDeps = Pick<Ports, "profiles" | "slack">;
