import type { Ports } from "../../ports";
import type { MoodCommandDeps } from "../personality";

/** Commands answer through Slack; the subcommands they route to add their own needs. */
export type CommandsDeps = MoodCommandDeps & Pick<Ports, "slack" | "logger">;
