// The gateway's reads: identity, users and conversations, and the cache in front of them.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { type FakeSlack, startFakeSlack } from "../../../../test/fakes/slack";
import { GATEWAY_WORKSPACE } from "../../../../test/fixtures/slack/gateway-workspace";
import { uniqueName } from "../../../../test/setup/isolation";
import type { KeyValueCache } from "../../ports/cache";
import type { SlackGateway } from "../../ports/slack-gateway";
import { SlackCallError } from "./errors";
import { createSlackGateway, type SlackGatewayOptions } from "./gateway";

/** A tiny in-memory KeyValueCache (the real adapters live elsewhere). */
class MemoryCache implements KeyValueCache {
  readonly entries = new Map<string, { value: string; expiresAt: number }>();
  async get(key: string) {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.value;
  }
  async set(key: string, value: string, ttlSeconds: number) {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }
  async setIfAbsent(key: string, value: string, ttlSeconds: number) {
    if ((await this.get(key)) !== undefined) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
  async deletePrefix(prefix: string) {
    const keys = [...this.entries.keys()].filter((key) => key.startsWith(prefix));
    for (const key of keys) this.entries.delete(key);
    return keys.length;
  }
  async ping() {}
}

const fake: FakeSlack = startFakeSlack(GATEWAY_WORKSPACE);
const team = fake.workspace.identity.teamId;
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function gatewayWith(options: Partial<SlackGatewayOptions> = {}): SlackGateway {
  return createSlackGateway({
    botToken: fake.token,
    apiUrl: fake.url,
    cache: new MemoryCache(),
    ...options,
  });
}

async function thrown(call: () => Promise<unknown>): Promise<SlackCallError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof SlackCallError) return error;
    throw error;
  }
  throw new Error("expected a SlackCallError");
}

describe("identity", () => {
  test("asks auth.test once and remembers the answer", async () => {
    const slack = gatewayWith();
    const [a, b] = await Promise.all([slack.identity(), slack.identity()]);
    const c = await slack.identity();
    const { teamId, botUserId, botId } = fake.workspace.identity;
    expect(a).toEqual({ teamId, userId: botUserId, botId });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(fake.callsTo("auth.test")).toHaveLength(1);
  });

  test("a failed auth.test is not remembered", async () => {
    const slack = gatewayWith();
    fake.failNext("auth.test", { kind: "slack_error", error: "invalid_auth" });
    expect((await thrown(() => slack.identity())).slackError).toBe("invalid_auth");
    expect((await slack.identity()).userId).toBe(fake.workspace.identity.botUserId);
    expect(fake.callsTo("auth.test")).toHaveLength(2);
  });
});

describe("userInfo", () => {
  test("maps users.info and caches it: the second lookup makes no HTTP call", async () => {
    const cache = new MemoryCache();
    const slack = gatewayWith({ cache, lookupTtlSeconds: 60 });
    const alice = await slack.userInfo(team, "U0ALICE");
    expect(alice).toEqual({
      userId: "U0ALICE",
      teamId: team,
      name: "alice",
      displayName: "alice",
      realName: "Alice Liddell",
      isBot: false,
      isAdmin: true,
      isOwner: false,
      isRestricted: false,
      isUltraRestricted: false,
      isStranger: false,
      timeZone: "Europe/Berlin",
    });
    expect(await slack.userInfo(team, "U0ALICE")).toEqual(alice);
    // Another process sharing the cache does not ask Slack either.
    expect(await gatewayWith({ cache }).userInfo(team, "U0ALICE")).toEqual(alice);
    expect(fake.callsTo("users.info")).toHaveLength(1);
    const key = `slack:user:${team}:U0ALICE`;
    expect(cache.entries.get(key)?.expiresAt).toBeGreaterThan(Date.now() + 55_000);
  });

  test("is cached per workspace", async () => {
    const slack = gatewayWith();
    await slack.userInfo(team, "U0BOB");
    await slack.userInfo(uniqueName("T"), "U0BOB");
    expect(fake.callsTo("users.info")).toHaveLength(2);
  });

  test("an unknown user is undefined, not an error", async () => {
    expect(await gatewayWith().userInfo(team, "U0NOBODY")).toBeUndefined();
  });

  test("a broken cache entry falls back to Slack", async () => {
    const cache = new MemoryCache();
    await cache.set(`slack:user:${team}:U0BOB`, "{not json", 60);
    expect((await gatewayWith({ cache }).userInfo(team, "U0BOB"))?.name).toBe("bob");
  });

  test("waits out a 429 for Retry-After and then succeeds", async () => {
    fake.failNext("users.info", { kind: "rate_limited", retryAfterSeconds: 1 });
    const started = performance.now();
    expect((await gatewayWith().userInfo(team, "U0BOB"))?.name).toBe("bob");
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo("users.info").map((c) => c.httpStatus)).toEqual([429, 200]);
  });

  test("reads retry a server error", async () => {
    fake.failNext("users.info", { kind: "server_error", status: 503 });
    expect((await gatewayWith().userInfo(team, "U0BOB"))?.name).toBe("bob");
    expect(fake.callsTo("users.info").map((c) => c.httpStatus)).toEqual([503, 200]);
  });
});

describe("conversationInfo", () => {
  test("maps visibility: public, private, DM and group DM", async () => {
    const slack = gatewayWith();
    const visibility = async (id: string) => (await slack.conversationInfo(team, id))?.visibility;
    expect(await visibility("C0GENERAL")).toBe("public_channel");
    expect(await visibility("G0SECRET")).toBe("private_channel");
    expect(await visibility("D0ALICE")).toBe("dm");
    expect(await visibility("G0TRIO")).toBe("group_dm");
    expect(await slack.conversationInfo(team, "C0GENERAL")).toEqual({
      channelId: "C0GENERAL",
      name: "general",
      visibility: "public_channel",
      isArchived: false,
    });
    expect((await slack.conversationInfo(team, "D0ALICE"))?.name).toBeNull();
    expect((await slack.conversationInfo(team, "C0OLD"))?.isArchived).toBe(true);
    // Each conversation was asked about once; repeats came from the cache.
    expect(fake.callsTo("conversations.info")).toHaveLength(5);
  });

  test("an unknown conversation is undefined", async () => {
    expect(await gatewayWith().conversationInfo(team, "C0NOWHERE")).toBeUndefined();
  });
});
