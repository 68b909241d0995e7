import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { LruCache } from "./lru";

describe("LruCache", () => {
  test("past maxEntries the least recently used entry goes; get refreshes, peek does not", () => {
    const lru = new LruCache<string, number>({ maxEntries: 3 });
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("c", 3);
    expect(lru.get("a")).toBe(1);
    expect(lru.peek("b")).toBe(2);
    lru.set("d", 4);
    // b was the least recently used: peek did not save it, get saved a.
    expect(lru.keys()).toEqual(["c", "a", "d"]);
    expect(lru.has("b")).toBe(false);
    lru.set("c", 30);
    lru.set("e", 5);
    expect(lru.keys()).toEqual(["d", "c", "e"]);
    expect(lru.peek("c")).toBe(30);
  });

  test("past maxWeight as many of the least recently used go as needed", () => {
    const lru = new LruCache<string, string>({
      maxEntries: 100,
      maxWeight: 10,
      weigh: (v) => v.length,
    });
    lru.set("a", "xxx");
    lru.set("b", "xxx");
    lru.set("c", "xxx");
    expect(lru.weight).toBe(9);
    lru.set("d", "xxxxxxx");
    // 7 more: a and b must both go (9 + 7 - 3 - 3 = 10).
    expect(lru.keys()).toEqual(["c", "d"]);
    expect(lru.weight).toBe(10);
  });

  test("replacing a value re-weighs it; a value heavier than maxWeight is refused", () => {
    const lru = new LruCache<string, string>({
      maxEntries: 5,
      maxWeight: 6,
      weigh: (v) => v.length,
    });
    lru.set("a", "xx");
    lru.set("b", "xx");
    lru.set("a", "x");
    expect(lru.weight).toBe(3);
    expect(lru.set("b", "xxxxxxx")).toBe(false);
    // The old value under that key is gone too: a refused write must not leave a stale one.
    expect(lru.has("b")).toBe(false);
    expect(lru.keys()).toEqual(["a"]);
    expect(lru.weight).toBe(1);
  });

  test("delete, deleteWhere and clear keep the weight right", () => {
    const lru = new LruCache<string, number>({ maxEntries: 10, weigh: (v) => v });
    for (const [k, v] of [
      ["t1:a", 1],
      ["t1:b", 2],
      ["t2:a", 4],
    ] as const) {
      lru.set(k, v);
    }
    expect(lru.deleteWhere((key) => key.startsWith("t1:"))).toBe(2);
    expect(lru.keys()).toEqual(["t2:a"]);
    expect(lru.weight).toBe(4);
    expect(lru.delete("t2:a")).toBe(true);
    expect(lru.delete("t2:a")).toBe(false);
    expect(lru.weight).toBe(0);
    lru.set("x", 3);
    lru.clear();
    expect([lru.size, lru.weight]).toEqual([0, 0]);
  });

  test("bad bounds and weights are refused", () => {
    expect(() => new LruCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new LruCache({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => new LruCache({ maxEntries: 1, maxWeight: 0 })).toThrow(RangeError);
    const lru = new LruCache<string, number>({ maxEntries: 2, weigh: (v) => v });
    expect(() => lru.set("a", -1)).toThrow(RangeError);
    expect(() => lru.set("a", Number.NaN)).toThrow(RangeError);
  });

  test("any sequence of operations matches a plain list model", () => {
    type Op =
      | { kind: "set"; key: number; weight: number }
      | { kind: "get" | "peek" | "delete"; key: number };
    const key = fc.integer({ min: 0, max: 7 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), key, weight: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constantFrom("get" as const, "peek" as const, "delete" as const), key }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(op, { maxLength: 60 }),
        (maxEntries, maxWeight, ops) => {
          const lru = new LruCache<number, number>({ maxEntries, maxWeight, weigh: (w) => w });
          // The model: [key, weight] from least to most recently used.
          let model: [number, number][] = [];
          const without = (k: number) => model.filter(([mk]) => mk !== k);
          const total = () => model.reduce((sum, [, w]) => sum + w, 0);
          for (const o of ops) {
            const held = model.find(([mk]) => mk === o.key);
            if (o.kind === "set") {
              model = without(o.key);
              if (o.weight <= maxWeight) model.push([o.key, o.weight]);
              while (model.length > maxEntries || total() > maxWeight) model.shift();
              expect(lru.set(o.key, o.weight)).toBe(o.weight <= maxWeight);
            } else if (o.kind === "get") {
              if (held) model = [...without(o.key), held];
              expect(lru.get(o.key)).toBe(held?.[1]);
            } else if (o.kind === "peek") {
              expect(lru.peek(o.key)).toBe(held?.[1]);
            } else {
              model = without(o.key);
              expect(lru.delete(o.key)).toBe(held !== undefined);
            }
            expect(lru.keys()).toEqual(model.map(([k]) => k));
            expect(lru.weight).toBe(total());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
