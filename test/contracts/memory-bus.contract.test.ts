// The MemoryBus contract (ADR-034), in process (demo) and on Redis pub/sub: every subscriber,
// the publisher's own process included, hears every notice; an unsubscribed one hears nothing.
// On Redis, buses of other prefixes are not heard, and a subscriber whose connection dropped is
// told of the gap once it is subscribed again (never on its first connect).
import { afterEach, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createInProcessMemoryBus } from "../../core/src/adapters/in-process";
import { createRedisClient, createRedisMemoryBus } from "../../core/src/adapters/redis";
import type { ForgetNotice, MemoryBus } from "../../core/src/ports/memory-bus";
import { uniqueName } from "../setup/isolation";
import { testRedisPrefix, testRedisUrl, waitFor } from "./queue-harness";

interface Heard {
  notices: ForgetNotice[];
  gaps: number;
  unsubscribe: () => Promise<void>;
}

async function listen(bus: MemoryBus): Promise<Heard> {
  const heard = { notices: [] as ForgetNotice[], gaps: 0 };
  const unsubscribe = await bus.subscribe({
    onNotice: (notice) => heard.notices.push(notice),
    onGap: () => {
      heard.gaps += 1;
    },
  });
  return Object.assign(heard, { unsubscribe });
}

const clients: Redis[] = [];
const subscriptions: Heard[] = [];

afterEach(async () => {
  for (const heard of subscriptions.splice(0)) await heard.unsubscribe();
  for (const client of clients.splice(0)) await client.quit().catch(() => client.disconnect());
});

/** A bus per "process": each has its own command connection, as two core processes would. */
function redisBuses(prefix: string, count: number, connectionName?: string): MemoryBus[] {
  return Array.from({ length: count }, () => {
    const client = createRedisClient(testRedisUrl(), { connectionName: "pup-contract" });
    clients.push(client);
    return createRedisMemoryBus({ redis: client, prefix, connectionName });
  });
}

const systems: [string, () => MemoryBus[]][] = [
  [
    "in-process",
    () => {
      const bus = createInProcessMemoryBus();
      return [bus, bus];
    },
  ],
  ["redis", () => redisBuses(testRedisPrefix("bus"), 2)],
];

const arrived = (heard: Heard, count: number) =>
  waitFor(() => heard.notices.length >= count, `${count} notice(s)`, 3000);

for (const [system, open] of systems) {
  describe(`memory bus contract (${system})`, () => {
    test("every subscriber hears every notice, the publisher's own included", async () => {
      const [a, b] = open() as [MemoryBus, MemoryBus];
      const onA = await listen(a);
      const onB = await listen(b);
      subscriptions.push(onA, onB);
      await a.publish({ teamId: "T1", channelIds: ["C1", "D2"] });
      await b.publish({ teamId: "T2", channelIds: [] });
      await arrived(onA, 2);
      await arrived(onB, 2);
      for (const heard of [onA, onB]) {
        expect(heard.notices).toEqual([
          { teamId: "T1", channelIds: ["C1", "D2"] },
          { teamId: "T2", channelIds: [] },
        ]);
        expect(heard.gaps).toBe(0);
      }
    });

    test("after unsubscribe nothing more arrives", async () => {
      const [a, b] = open() as [MemoryBus, MemoryBus];
      const gone = await listen(b);
      const stays = await listen(b);
      subscriptions.push(stays);
      await gone.unsubscribe();
      await gone.unsubscribe();
      await a.publish({ teamId: "T1", channelIds: ["C1"] });
      await arrived(stays, 1);
      await Bun.sleep(50);
      expect(gone.notices).toEqual([]);
    });
  });
}

describe("memory bus in process", () => {
  test("delivers inside publish; a subscriber that throws does not stop the others", async () => {
    const bus = createInProcessMemoryBus();
    const order: string[] = [];
    subscriptions.push(
      Object.assign(
        { notices: [], gaps: 0 },
        {
          unsubscribe: await bus.subscribe({
            onNotice: () => {
              order.push("first");
              throw new Error("broken subscriber");
            },
            onGap: () => {},
          }),
        },
      ),
    );
    const second = await listen(bus);
    subscriptions.push(second);
    await expect(bus.publish({ teamId: "T1", channelIds: ["C1"] })).rejects.toThrow(/broken/);
    expect(order).toEqual(["first"]);
    expect(second.notices).toEqual([{ teamId: "T1", channelIds: ["C1"] }]);
  });
});

describe("memory bus on Redis", () => {
  test("a bus under another prefix hears nothing of this one", async () => {
    const [ours] = redisBuses(testRedisPrefix("bus"), 1) as [MemoryBus];
    const [theirs] = redisBuses(testRedisPrefix("bus"), 1) as [MemoryBus];
    const onOurs = await listen(ours);
    const onTheirs = await listen(theirs);
    subscriptions.push(onOurs, onTheirs);
    await ours.publish({ teamId: "T1", channelIds: ["C1"] });
    await arrived(onOurs, 1);
    await Bun.sleep(100);
    expect(onTheirs.notices).toEqual([]);
  });

  test("a dropped subscriber connection: a gap once it is back, and notices again", async () => {
    const name = uniqueName("pup-bus");
    const [publisher, subscriber] = redisBuses(testRedisPrefix("bus"), 2, name) as [
      MemoryBus,
      MemoryBus,
    ];
    const heard = await listen(subscriber);
    subscriptions.push(heard);
    // The first connect is not a gap.
    await publisher.publish({ teamId: "T1", channelIds: ["C1"] });
    await arrived(heard, 1);
    expect(heard.gaps).toBe(0);

    const admin = clients[0] as Redis;
    const killed = await killConnections(admin, name);
    expect(killed).toBe(1);
    await waitFor(() => heard.gaps === 1, "the gap after the reconnect", 5000);
    // Subscribed again when told: the next notice arrives.
    await publisher.publish({ teamId: "T1", channelIds: ["C2"] });
    await arrived(heard, 2);
    expect(heard.notices.at(-1)).toEqual({ teamId: "T1", channelIds: ["C2"] });
    expect(heard.gaps).toBe(1);
    // Unsubscribing closes the subscriber's own connection.
    await heard.unsubscribe();
    await waitFor(async () => (await connectionsNamed(admin, name)).length === 0, "the close");
  });

  test("an unreadable message on the channel counts as a gap", async () => {
    const prefix = testRedisPrefix("bus");
    const [bus] = redisBuses(prefix, 1) as [MemoryBus];
    const heard = await listen(bus);
    subscriptions.push(heard);
    await (clients[0] as Redis).publish(`${prefix}memory-bus`, "not a notice");
    await waitFor(() => heard.gaps === 1, "the gap", 3000);
    expect(heard.notices).toEqual([]);
  });
});

/** The ids of the connections named `name`. */
async function connectionsNamed(admin: Redis, name: string): Promise<string[]> {
  const list = (await admin.client("LIST")) as string;
  return list
    .split("\n")
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
}

/** Kills the connections named `name`; returns how many. */
async function killConnections(admin: Redis, name: string): Promise<number> {
  const ids = await connectionsNamed(admin, name);
  for (const id of ids) await admin.client("KILL", "ID", id);
  return ids.length;
}
