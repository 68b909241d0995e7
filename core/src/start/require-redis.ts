/**
 * A worker that cannot reach Redis is useless: before building anything, check that Redis
 * answers, and fail at once with a message naming REDIS_URL (its password masked) and why.
 */
import { Redis } from "ioredis";
import { maskUrl } from "../config/fields";
import { StartError } from "./start-error";

export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

export async function requireRedis(url: string | undefined): Promise<void> {
  if (!url) throw new StartError("REDIS_URL is required: BullMQ workers need Redis");
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
  });
  // Until the first connection succeeds, errors are kept for the message instead of logged.
  let lastError: Error | undefined;
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${REDIS_CONNECT_TIMEOUT_MS / 1000} s`)),
      REDIS_CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
  } catch (error) {
    redis.disconnect();
    const reason = lastError ?? error;
    const why = reason instanceof Error ? reason.message : String(reason);
    throw new StartError(`cannot reach Redis at ${maskUrl(url)} (REDIS_URL): ${why}`, reason);
  } finally {
    clearTimeout(timer);
  }
  await redis.quit().catch(() => redis.disconnect());
}
