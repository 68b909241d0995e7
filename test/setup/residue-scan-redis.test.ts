// The Redis residue scan finds a needle wherever pup could keep it (every type, key names, hash
// fields, JSON-escaped text inside JSON) and reads nothing outside the prefix it is given: the
// forget-me end-to-end test's "0 hits" means something only if this holds.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createRedisClient } from "../../core/src/adapters/redis";
import { uniqueName } from "./isolation";
import { scanRedis } from "./residue-scan";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
let redis: Redis;
let prefix: string;
let outside: string;

beforeAll(() => {
  redis = createRedisClient(REDIS_URL, { connectionName: "pup-residue-scan-test" });
  prefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}scan`);
  outside = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}scan-outside`);
});

afterAll(async () => {
  for (const under of [prefix, outside]) {
    const keys = await redis.keys(`${under}*`);
    if (keys.length > 0) await redis.unlink(...keys);
  }
  redis.disconnect();
});

test("finds a needle in every type, in names and in escaped JSON; counts what it read", async () => {
  const job = JSON.stringify({ event: { payload: JSON.stringify({ text: "it is Ünïcode-Q7" }) } });
  // JSON.stringify leaves non-ASCII as is: escape it the way some writers do.
  const escaped = job.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  expect(escaped).not.toContain("Ünïcode");
  await redis.set(`${prefix}:s`, "nothing here");
  await redis.set(`${prefix}:name-zx1`, "clean");
  await redis.hset(`${prefix}:h`, { data: escaped, other: "clean", "field-zx2": "clean" });
  await redis.rpush(`${prefix}:l`, "clean", "a zx3 b");
  await redis.sadd(`${prefix}:set`, "clean", "ZX4");
  await redis.zadd(`${prefix}:z`, 1, "clean", 2, "zx5");
  await redis.xadd(`${prefix}:x`, "*", "k", "clean", "v", "zx6 inside");
  await redis.set(`${outside}:s`, "zx1 zx2 zx3 zx4 zx5 zx6 ünïcode-q7");

  const scan = await scanRedis(redis, prefix, [
    "zx1",
    "zx2",
    "zx3",
    "zx4",
    "zx5",
    "zx6",
    "ünïcode-q7",
  ]);
  const found = (needle: string) => scan.hits.filter((hit) => hit.needle === needle);
  expect(found("zx1")).toEqual([
    { key: `${prefix}:name-zx1`, type: "string", needle: "zx1", in: "key" },
  ]);
  expect(found("zx2")).toMatchObject([{ key: `${prefix}:h`, type: "hash", field: "field-zx2" }]);
  expect(found("zx3")).toMatchObject([{ key: `${prefix}:l`, type: "list", field: "1" }]);
  expect(found("zx4")).toMatchObject([{ key: `${prefix}:set`, type: "set" }]);
  expect(found("zx5")).toMatchObject([{ key: `${prefix}:z`, type: "zset" }]);
  expect(found("zx6")).toMatchObject([{ key: `${prefix}:x`, type: "stream" }]);
  expect(found("ünïcode-q7")).toMatchObject([{ key: `${prefix}:h`, field: "data" }]);
  // 7 keys; values: 1 + 1 + 3 hash fields + 2 list items + 2 + 2 + 2 stream fields.
  expect(scan.keys).toBe(7);
  expect(scan.values).toBe(13);
});

test("refuses a prefix so short it would read other tests' keys", async () => {
  await expect(scanRedis(redis, "pu", ["x"])).rejects.toThrow("this short");
});
