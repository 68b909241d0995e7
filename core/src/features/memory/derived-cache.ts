/**
 * A per-process cache over DerivedMemory reads: every reply asks for the channel's summary, which
 * background jobs change rarely (facts pass straight through: see factsAbout). Writes through this process drop the
 * affected entries; changes made by another process show within `ttlMs` (default 60 s).
 */
import type { DerivedMemory } from "../../ports/derived-memory";

export interface DerivedCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export function cachedDerivedMemory(
  derived: DerivedMemory,
  options: DerivedCacheOptions = {},
): DerivedMemory {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 60_000;
  const max = options.maxEntries ?? 10_000;
  const entries = new Map<string, { value: unknown; expiresAt: number }>();

  async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = entries.get(key);
    if (hit && hit.expiresAt > now()) return hit.value as T;
    const value = await load();
    entries.delete(key);
    entries.set(key, { value, expiresAt: now() + ttl });
    if (entries.size > max) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    return value;
  }

  function forget(prefix: string): void {
    for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
  }

  return {
    async addFact(input) {
      return derived.addFact(input);
    },
    // Not cached: whether a fact may show depends on its sources' conversations' visibility now
    // (a conversion in another process must hide it at once, ADR-022); one indexed query.
    factsAbout: (teamId, userId, fromChannelId, limit, memberOf) =>
      derived.factsAbout(teamId, userId, fromChannelId, limit, memberOf),
    async saveSummary(input) {
      const id = await derived.saveSummary(input);
      forget(`summary\u0000${input.teamId}\u0000${input.channelId}`);
      return id;
    },
    async removeSummary(period) {
      await derived.removeSummary(period);
      forget(`summary\u0000${period.teamId}\u0000${period.channelId}`);
    },
    // Read by jobs, commands and recall, which must see deletions and conversions at once.
    summarySources: (scope, since, until, limit) =>
      derived.summarySources(scope, since, until, limit),
    activeConversations: (teamId, since, until) =>
      derived.activeConversations(teamId, since, until),
    summariesCiting: (teamId, messageIds) => derived.summariesCiting(teamId, messageIds),
    recallSummaries: (scope, query, limit) => derived.recallSummaries(scope, query, limit),
    latestSummary(teamId, channelId) {
      return cached(`summary\u0000${teamId}\u0000${channelId}`, () =>
        derived.latestSummary(teamId, channelId),
      );
    },
  };
}
