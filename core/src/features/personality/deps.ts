import type { Ports } from "../../ports";
import type { AdminDeps } from "../admin";
import type { DirectoryDeps } from "../directory";
import type { PersonalitySettings } from "./settings";

/** Where moods are kept: the store, a cached copy of it, and the clock. */
export type MoodDeps = Pick<Ports, "moods" | "cache" | "logger" | "now">;

/** Moods moved by messages and reactions (repeat questions read messages and pup's replies). */
export type PersonalityDeps = MoodDeps &
  Pick<Ports, "messages" | "botReplies" | "slack" | "directory"> & {
    personality: PersonalitySettings;
  };

/** `/pup mood` and `/pup tone`: tone rules are kept in the directory; changing them is an admin action. */
export type MoodCommandDeps = PersonalityDeps & DirectoryDeps & AdminDeps;
