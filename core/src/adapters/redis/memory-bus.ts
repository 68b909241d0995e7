// MemoryBus on Redis pub/sub (ADR-034): a forget in any process reaches every process's working
// memory. Notices go out on the normal connection; each subscription has its own connection
// (a subscribed Redis connection can run nothing else). Pub/sub keeps nothing for a subscriber
// that was away, so after every reconnect the subscriber is told of the gap once its
// subscription is back, and drops everything (working memory is only a cache).
import type { Redis } from "ioredis";
import type { ForgetNotice, MemoryBus } from "../../ports/memory-bus";

export interface RedisMemoryBusOptions {
  /** The command connection notices are published on; the caller owns it and closes it. */
  redis: Redis;
  /** The key prefix (e.g. `pup:`): the channel is `<prefix>memory-bus`, so deployments and tests sharing a Redis stay apart. */
  prefix: string;
  /** Shown in `CLIENT LIST` for each subscriber connection; default `pup-memory-bus`. */
  connectionName?: string;
  /** Subscriber connection errors and unreadable notices; without it they are dropped. */
  onError?: (error: Error) => void;
}

/** The pub/sub channel of a prefix. */
export function memoryBusChannel(prefix: string): string {
  return `${prefix}memory-bus`;
}

/** A notice as published, or undefined when `raw` is not one. */
function parseNotice(raw: string): ForgetNotice | undefined {
  try {
    const value = JSON.parse(raw) as Partial<ForgetNotice>;
    if (typeof value.teamId !== "string" || !Array.isArray(value.channelIds)) return undefined;
    if (!value.channelIds.every((id) => typeof id === "string")) return undefined;
    return { teamId: value.teamId, channelIds: value.channelIds };
  } catch {
    return undefined;
  }
}

/** Longest the first subscription may take before subscribe() returns anyway. */
const FIRST_SUBSCRIBE_WAIT_MS = 2_000;

/** Creates a {@link MemoryBus} over Redis pub/sub. */
export function createRedisMemoryBus(options: RedisMemoryBusOptions): MemoryBus {
  const { redis } = options;
  const channel = memoryBusChannel(options.prefix);
  const report = options.onError ?? (() => {});

  return {
    async publish(notice) {
      await redis.publish(channel, JSON.stringify(notice));
    },

    async subscribe(handlers) {
      const subscriber = redis.duplicate({
        connectionName: options.connectionName ?? "pup-memory-bus",
        // Subscribing again is ours to do (below), so that a gap is reported only after it.
        autoResubscribe: false,
      });
      // Set once subscribe() has returned: from then on every subscription follows a gap.
      let returned = false;
      let settleFirst: () => void = () => {};
      const first = new Promise<void>((resolve) => {
        settleFirst = resolve;
      });
      const timer = setTimeout(() => settleFirst(), FIRST_SUBSCRIBE_WAIT_MS);

      subscriber.on("error", (error: Error) => {
        report(error);
        // Redis is down at start: return now; the first subscription that succeeds is a gap.
        settleFirst();
      });
      subscriber.on("ready", () => {
        subscriber.subscribe(channel).then(
          () => {
            settleFirst();
            if (returned) handlers.onGap();
          },
          (error: unknown) => report(error instanceof Error ? error : new Error(String(error))),
        );
      });
      subscriber.on("message", (from: string, raw: string) => {
        if (from !== channel) return;
        const notice = parseNotice(raw);
        if (notice) {
          handlers.onNotice(notice);
          return;
        }
        // A notice that cannot be read may have named anything: drop everything.
        report(new Error("memory bus: unreadable notice"));
        handlers.onGap();
      });

      await first;
      clearTimeout(timer);
      returned = true;

      let closed = false;
      return async () => {
        if (closed) return;
        closed = true;
        subscriber.removeAllListeners("ready");
        subscriber.removeAllListeners("message");
        await subscriber.quit().catch(() => subscriber.disconnect());
      };
    },
  };
}
