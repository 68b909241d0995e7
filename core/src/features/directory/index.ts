// The directory feature: who and where (workspaces, conversations, people), read through a
// short per-process cache and completed from Slack when something is missing.

export type { DirectoryDeps } from "./deps";
export { cachedDirectory } from "./directory-cache";
export { ensureChannel, ensureUser, ensureWorkspace } from "./ensure";
