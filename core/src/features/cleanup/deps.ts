import type { Ports } from "../../ports";

/**
 * What a cleanup run touches: each workspace's retention, the store it removes from, and the
 * queues whose finished jobs it clears.
 */
export type CleanupDeps = Pick<
  Ports,
  "retention" | "workspaceSettings" | "queue" | "logger" | "now"
>;
