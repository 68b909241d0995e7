/**
 * A short-lived, per-process read-through cache over the Directory: every message needs its
 * workspace, channel and author (and every reply the names of everyone it quotes), and those
 * change rarely. Upserts write through and refresh the cache. Entries live `ttlMs` (default
 * 60 s), so a rename or a visibility change made by another process is seen within that time.
 */
import type { Directory, DirectoryChannel, DirectoryUser, Workspace } from "../../ports/directory";

interface Entry<T> {
  value: T | undefined;
  expiresAt: number;
}

export interface DirectoryCacheOptions {
  ttlMs?: number;
  /** Entries kept per kind before the oldest is dropped. */
  maxEntries?: number;
  now?: () => number;
}

class Lru<T> {
  readonly #map = new Map<string, Entry<T>>();
  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): Entry<T> | undefined {
    const entry = this.#map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#map.delete(key);
      return undefined;
    }
    return entry;
  }

  delete(key: string): void {
    this.#map.delete(key);
  }

  set(key: string, value: T | undefined): void {
    this.#map.delete(key);
    this.#map.set(key, { value, expiresAt: this.now() + this.ttlMs });
    if (this.#map.size > this.maxEntries) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }
}

/** Wraps `directory` with the cache. */
export function cachedDirectory(
  directory: Directory,
  options: DirectoryCacheOptions = {},
): Directory {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 60_000;
  const max = options.maxEntries ?? 10_000;
  const workspaces = new Lru<Workspace>(max, ttl, now);
  const users = new Lru<DirectoryUser>(max, ttl, now);
  const channels = new Lru<DirectoryChannel>(max, ttl, now);
  const key = (teamId: string, id: string) => `${teamId}\u0000${id}`;

  return {
    async upsertWorkspace(workspace) {
      const row = await directory.upsertWorkspace(workspace);
      workspaces.set(row.teamId, row);
      return row;
    },
    async getWorkspace(teamId) {
      const hit = workspaces.get(teamId);
      if (hit) return hit.value;
      const row = await directory.getWorkspace(teamId);
      workspaces.set(teamId, row);
      return row;
    },
    async upsertUser(user) {
      const row = await directory.upsertUser(user);
      users.set(key(row.teamId, row.userId), row);
      return row;
    },
    async getUser(teamId, userId) {
      const hit = users.get(key(teamId, userId));
      if (hit) return hit.value;
      const row = await directory.getUser(teamId, userId);
      users.set(key(teamId, userId), row);
      return row;
    },
    async upsertChannel(channel) {
      const row = await directory.upsertChannel(channel);
      channels.set(key(row.teamId, row.channelId), row);
      return row;
    },
    async getChannel(teamId, channelId) {
      const hit = channels.get(key(teamId, channelId));
      if (hit) return hit.value;
      const row = await directory.getChannel(teamId, channelId);
      channels.set(key(teamId, channelId), row);
      return row;
    },
    // Conversation-wide changes drop what this process cached, so it sees them at once.
    async setChannelVisibility(teamId, channelId, visibility) {
      try {
        return await directory.setChannelVisibility(teamId, channelId, visibility);
      } finally {
        channels.delete(key(teamId, channelId));
      }
    },
    async moveChannel(teamId, oldChannelId, newChannelId) {
      try {
        return await directory.moveChannel(teamId, oldChannelId, newChannelId);
      } finally {
        channels.delete(key(teamId, oldChannelId));
        channels.delete(key(teamId, newChannelId));
      }
    },
    async setChannelShared(teamId, channelId, shared) {
      try {
        return await directory.setChannelShared(teamId, channelId, shared);
      } finally {
        channels.delete(key(teamId, channelId));
      }
    },
  };
}
