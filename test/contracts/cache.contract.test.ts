// The KeyValueCache contract: the same cases on the in-process cache (demo) and on Redis.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createRedisCache, createRedisClient } from "../../core/src/adapters/redis";
import { type CacheHarness, cacheSystems, testRedisPrefix, testRedisUrl } from "./queue-harness";

for (const [system, open] of cacheSystems) {
  describe(`cache contract (${system})`, () => {
    let harness: CacheHarness;

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.dispose();
    });

    test("get returns what set stored, undefined for a missing key", async () => {
      const { cache } = harness;
      expect(await cache.get("user:U1")).toBeUndefined();
      await cache.set("user:U1", '{"name":"ada"}', 60);
      expect(await cache.get("user:U1")).toBe('{"name":"ada"}');
      await cache.set("user:U1", "replaced", 60);
      expect(await cache.get("user:U1")).toBe("replaced");
    });

    test("delete removes a key; deleting a missing key is fine", async () => {
      const { cache } = harness;
      await cache.set("k", "v", 60);
      await cache.delete("k");
      await cache.delete("never-set");
      expect(await cache.get("k")).toBeUndefined();
    });

    test("a key expires after its ttl", async () => {
      const { cache } = harness;
      await cache.set("short", "v", 0.2);
      await cache.set("long", "v", 60);
      expect(await cache.get("short")).toBe("v");
      await Bun.sleep(350);
      expect(await cache.get("short")).toBeUndefined();
      expect(await cache.get("long")).toBe("v");
    });

    test("setIfAbsent sets once, refuses while the key lives, and works again after expiry", async () => {
      const { cache } = harness;
      expect(await cache.setIfAbsent("sig", "first", 0.2)).toBe(true);
      expect(await cache.setIfAbsent("sig", "second", 0.2)).toBe(false);
      expect(await cache.get("sig")).toBe("first");
      await Bun.sleep(350);
      expect(await cache.setIfAbsent("sig", "third", 60)).toBe(true);
      expect(await cache.get("sig")).toBe("third");
    });

    test("concurrent setIfAbsent: exactly one wins", async () => {
      const wins = await Promise.all(
        Array.from({ length: 10 }, (_, i) => harness.cache.setIfAbsent("race", String(i), 60)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    test("a non-positive ttl is refused", async () => {
      await expect(harness.cache.set("k", "v", 0)).rejects.toThrow(/ttl must be positive/);
    });

    test("deletePrefix deletes exactly the keys starting with the prefix and counts them", async () => {
      const { cache } = harness;
      for (const key of ["slack:user:T1:U1", "slack:user:T1:U1:x", "slack:user:T1:U2"]) {
        await cache.set(key, "v", 60);
      }
      await cache.set("slack:user:T10:U1", "v", 60);
      await cache.set("profile:T1:U1", "v", 60);
      expect(await cache.deletePrefix("slack:user:T1:U1")).toBe(2);
      expect(await cache.get("slack:user:T1:U1")).toBeUndefined();
      expect(await cache.get("slack:user:T1:U1:x")).toBeUndefined();
      expect(await cache.get("slack:user:T1:U2")).toBe("v");
      expect(await cache.get("slack:user:T10:U1")).toBe("v");
      expect(await cache.get("profile:T1:U1")).toBe("v");
      expect(await cache.deletePrefix("slack:user:T1:U1")).toBe(0);
    });

    test("deletePrefix takes glob characters literally", async () => {
      const { cache } = harness;
      await cache.set("a*b", "v", 60);
      await cache.set("axb", "v", 60);
      await cache.set("[a]?\\z", "v", 60);
      await cache.set("az", "v", 60);
      expect(await cache.deletePrefix("a*")).toBe(1);
      expect(await cache.get("axb")).toBe("v");
      expect(await cache.deletePrefix("[a]?\\")).toBe(1);
      expect(await cache.get("az")).toBe("v");
    });

    test("deletePrefix reaches every key however many (SCAN pages)", async () => {
      const { cache } = harness;
      await Promise.all(
        Array.from({ length: 1_200 }, (_, i) => cache.set(`team:T9:${i}`, "v", 60)),
      );
      await cache.set("team:T8:0", "v", 60);
      expect(await cache.deletePrefix("team:T9:")).toBe(1_200);
      expect(await cache.get("team:T9:1199")).toBeUndefined();
      expect(await cache.get("team:T8:0")).toBe("v");
    });

    test("deletePrefix refuses an empty prefix (it is not 'everything')", async () => {
      await harness.cache.set("k", "v", 60);
      await expect(harness.cache.deletePrefix("")).rejects.toThrow(/non-empty prefix/);
      expect(await harness.cache.get("k")).toBe("v");
    });

    test("ping answers", async () => {
      await harness.cache.ping();
    });
  });
}

describe("cache deletePrefix on Redis stays inside the cache's own key prefix", () => {
  test("keys of another prefix on the same Redis are never touched", async () => {
    const redis = createRedisClient(testRedisUrl(), { connectionName: "pup-contract" });
    try {
      const prefix = testRedisPrefix("cache");
      const cache = createRedisCache({ redis, prefix });
      const neighbour = createRedisCache({ redis, prefix: `${prefix}stm:` });
      await cache.set("slack:user:T1:U1", "v", 60);
      // Same name under another prefix, and a raw key that merely contains the name.
      await neighbour.set("slack:user:T1:U1", "v", 60);
      await redis.set(`other:${prefix}slack:user:T1:U1`, "v", "EX", 60);
      expect(await cache.deletePrefix("slack:user:")).toBe(1);
      expect(await neighbour.get("slack:user:T1:U1")).toBe("v");
      expect(await redis.get(`other:${prefix}slack:user:T1:U1`)).toBe("v");
      await redis.del(`other:${prefix}slack:user:T1:U1`);
    } finally {
      await redis.quit().catch(() => redis.disconnect());
    }
  });
});
