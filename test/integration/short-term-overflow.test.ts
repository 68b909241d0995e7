// When a Redis outage outlasts the invalidation buffer, short-term memory drops the channels
// that lost invalidations (or, past a second limit, everything) as Redis comes back, instead of
// serving deleted text for a day (issue 14, point 14). Real PostgreSQL, real Redis behind a relay
// that is cut and restored, driven through features/memory/short-term.ts as the pipeline does.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createRedisClient } from "../../core/src/adapters/redis";
import { createRedisShortTermMemory } from "../../core/src/adapters/redis/short-term-memory";
import { createSqlDataAccess, type SqlDataAccess } from "../../core/src/adapters/sql";
import {
  liveConversation,
  MAX_LOST_CHANNELS,
  MAX_PENDING_INVALIDATIONS,
  rememberShortTerm,
  shortTermDeleted,
} from "../../core/src/features/memory/short-term";
import type { ShortTermConversation } from "../../core/src/ports/short-term-memory";
import { createDb, type DbHandle } from "../../db/client";
import { createTokenCipher } from "../../db/token-cipher";
import { testRedisPrefix } from "../contracts/queue-harness";
import { uniqueName } from "../setup/isolation";
import { redisRelay } from "../setup/tcp-relay";

type Deps = Parameters<typeof liveConversation>[0];

const relay = redisRelay();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await relay.down();
  for (const close of closers.splice(0)) await close();
});
afterAll(() => relay.down());

async function setup() {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  const cipher = await createTokenCipher({ currentKeyId: "k", keys: { k: key } });
  const db: DbHandle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  const data: SqlDataAccess = createSqlDataAccess(db.db, cipher);
  const redis: Redis = createRedisClient(await relay.up(), {
    connectionName: "pup-stm-overflow",
    onError: () => {},
  });
  const clock = { now: Date.now() };
  const quiet = () => {};
  const deps: Deps = {
    shortTerm: createRedisShortTermMemory({ redis, prefix: testRedisPrefix("stm-overflow") }),
    messages: data.messages,
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    now: () => clock.now,
  };
  closers.push(async () => {
    redis.disconnect();
    await db.close();
  });
  return { deps, data, clock };
}

type Setup = Awaited<ReturnType<typeof setup>>;
let seconds = 1_700_100_000;

/** A fresh channel with two messages, stored and remembered, and read once (list warmed). */
async function channelWithSecret({ deps, data }: Setup) {
  const c: ShortTermConversation = {
    teamId: uniqueName("T"),
    channelId: uniqueName("C"),
    threadTs: null,
  };
  await data.directory.upsertWorkspace({ teamId: c.teamId, name: "Overflow Co" });
  await data.directory.upsertChannel({ ...c, visibility: "public_channel" });
  const refs = [];
  for (const text of ["standup at ten", "the door code is 4417"]) {
    seconds += 1;
    const ts = `${seconds}.000100`;
    const stored = await data.messages.upsert({
      ...c,
      ts,
      threadTs: null,
      userId: "U1",
      text,
      visibility: "public_channel",
      postedAt: new Date(seconds * 1000),
    });
    await rememberShortTerm(deps, c.teamId, c.channelId, [stored]);
    refs.push({ teamId: c.teamId, channelId: c.channelId, ts });
  }
  expect((await liveConversation(deps, c, 5)).map((m) => m.text)).toContain(
    "the door code is 4417",
  );
  return { c, secret: refs[1] as { teamId: string; channelId: string; ts: string } };
}

/** Deletes the secret while Redis is cut, then `fill` more invalidations push it out. */
async function deleteDuringOutage(
  s: Setup,
  secret: { teamId: string; channelId: string; ts: string },
  fill: (i: number) => { teamId: string; channelId: string },
) {
  await relay.down();
  expect(await s.data.messages.softDelete(secret, new Date())).toBe(true);
  await shortTermDeleted(s.deps, secret);
  return async (count: number) => {
    for (let i = 0; i < count; i++) await shortTermDeleted(s.deps, { ...fill(i), ts: `1.${i}` });
  };
}

describe("short-term memory after an outage longer than its invalidation buffer", () => {
  test("the channel whose delete was pushed out is dropped whole: the deleted text is not served", async () => {
    const s = await setup();
    const { c, secret } = await channelWithSecret(s);
    const other = { teamId: c.teamId, channelId: uniqueName("C") };
    const fill = await deleteDuringOutage(s, secret, () => other);
    await fill(MAX_PENDING_INVALIDATIONS);

    await relay.up();
    s.clock.now += 5_000; // past the cool-down
    const texts = (await liveConversation(s.deps, c, 5)).map((m) => m.text);
    expect(texts).toEqual(["standup at ten"]);
  }, 60_000);

  test("past the lost-channel limit everything is dropped, other channels included", async () => {
    const s = await setup();
    const { c, secret } = await channelWithSecret(s);
    const bystander = await channelWithSecret(s);
    const fill = await deleteDuringOutage(s, secret, (i) => ({
      teamId: c.teamId,
      channelId: `CFILL${i}`,
    }));
    await fill(MAX_PENDING_INVALIDATIONS + MAX_LOST_CHANNELS + 1);

    await relay.up();
    s.clock.now += 5_000;
    const texts = (await liveConversation(s.deps, c, 5)).map((m) => m.text);
    expect(texts).toEqual(["standup at ten"]);
    // The bystander's list went too: its next read comes from PostgreSQL (and is right).
    expect(await s.deps.shortTerm.recent(bystander.c, 5)).toBeUndefined();
    expect((await liveConversation(s.deps, bystander.c, 5)).length).toBe(2);
  }, 60_000);
});
