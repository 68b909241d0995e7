// The KeyValueCache contract: the same cases on the in-process cache (demo) and on Redis.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type CacheHarness, cacheSystems } from "./queue-harness";

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

    test("ping answers", async () => {
      await harness.cache.ping();
    });
  });
}
