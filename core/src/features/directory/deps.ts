import type { Ports } from "../../ports";

/** The directory, and Slack to complete it. */
export type DirectoryDeps = Pick<Ports, "directory" | "slack">;
