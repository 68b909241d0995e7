// The Lua scripts behind the Redis short-term memory's conditional writes (see
// short-term-memory.ts for the model they keep), registered as ioredis commands so they run by
// EVALSHA, inside a MULTI too. Also the two reserved values: the `start` member and the tombstone.
import type { ChainableCommander, Redis } from "ioredis";

/** The member that marks a list reaching back to the conversation's first message. */
export const START = "start";
/** What a deleted message's copy is replaced with, so no late write can bring it back. */
export const TOMBSTONE = "~deleted";

/**
 * Appends (score, ts) pairs to one list, refusing ones older than its oldest member unless the
 * list reaches the start, then trims and refreshes the expiry.
 * KEYS[1] list; ARGV: capacity, ttl ms, then score, ts pairs.
 */
const APPEND_SCRIPT = `
local key = KEYS[1]
local exists = redis.call("EXISTS", key) == 1
local guarded = exists and not redis.call("ZSCORE", key, "${START}")
for i = 3, #ARGV, 2 do
  local score, ts = tonumber(ARGV[i]), ARGV[i + 1]
  local admit = true
  if guarded then
    local oldest = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
    local low = tonumber(oldest[2])
    if oldest[1] and (score < low or (score == low and ts < oldest[1])) then admit = false end
  end
  if admit then
    redis.call("ZADD", key, score, ts)
    guarded = guarded or not exists
    exists = true
  end
end
if exists then
  redis.call("ZREMRANGEBYRANK", key, 0, -(tonumber(ARGV[1]) + 1))
  redis.call("PEXPIRE", key, ARGV[2])
end
return 0`;

/**
 * Merges what PostgreSQL answered (the conversation's newest live messages, oldest first) into
 * one list. Members older than that answer are dropped unless it is the whole history (they
 * would leave a gap); members inside its range that it does not contain are dropped when their
 * copy is gone or tombstoned (deleted); live ones appended meanwhile stay.
 * KEYS[1] list; ARGV: capacity, ttl ms, complete (1/0), message key prefix, then score, ts pairs.
 */
const WARM_SCRIPT = `
local key, n = KEYS[1], #ARGV
local complete = ARGV[3] == "1"
local function gone(ts)
  local copy = redis.call("GET", ARGV[4] .. ts)
  return (not copy) or copy == "${TOMBSTONE}"
end
if n >= 6 then
  local lowScore, lowTs = tonumber(ARGV[5]), ARGV[6]
  local highScore, highTs = tonumber(ARGV[n - 1]), ARGV[n]
  local given = {}
  for i = 6, n, 2 do given[ARGV[i]] = true end
  local current = redis.call("ZRANGE", key, 0, -1, "WITHSCORES")
  for i = 1, #current, 2 do
    local ts, score = current[i], tonumber(current[i + 1])
    if ts ~= "${START}" and not given[ts] then
      local below = score < lowScore or (score == lowScore and ts < lowTs)
      local above = score > highScore or (score == highScore and ts > highTs)
      if (below and not complete) or (not above and gone(ts)) then redis.call("ZREM", key, ts) end
    end
  end
  for i = 5, n, 2 do redis.call("ZADD", key, ARGV[i], ARGV[i + 1]) end
end
if complete then redis.call("ZADD", key, "-inf", "${START}") end
if redis.call("EXISTS", key) == 1 then
  redis.call("ZREMRANGEBYRANK", key, 0, -(tonumber(ARGV[1]) + 1))
  redis.call("PEXPIRE", key, ARGV[2])
end
return 0`;

/** Replaces the text of a held, live message copy. KEYS[1] copy; ARGV[1] text. */
const EDIT_SCRIPT = `
local copy = redis.call("GET", KEYS[1])
if (not copy) or copy == "${TOMBSTONE}" then return 0 end
local message = cjson.decode(copy)
message["text"] = ARGV[1]
redis.call("SET", KEYS[1], cjson.encode(message), "KEEPTTL")
return 1`;

/** Drops a message copy unless it is a tombstone (a deleted message stays deleted). KEYS[1] copy. */
const FORGET_SCRIPT = `
if redis.call("GET", KEYS[1]) == "${TOMBSTONE}" then return 0 end
return redis.call("DEL", KEYS[1])`;

const COMMANDS = {
  pupShortTermAppend: { numberOfKeys: 1, lua: APPEND_SCRIPT },
  pupShortTermWarm: { numberOfKeys: 1, lua: WARM_SCRIPT },
  pupShortTermEdit: { numberOfKeys: 1, lua: EDIT_SCRIPT },
  pupShortTermForget: { numberOfKeys: 1, lua: FORGET_SCRIPT },
} as const;

type ScriptCall<R> = (key: string, ...args: (string | number)[]) => R;
type Scripts<R> = Record<keyof typeof COMMANDS, ScriptCall<R>>;

/** Registers the scripts on the client once (ioredis runs them by EVALSHA, in MULTI too). */
export function registerScripts(redis: Redis): void {
  const client = redis as unknown as Record<string, unknown>;
  for (const [name, definition] of Object.entries(COMMANDS)) {
    if (typeof client[name] !== "function") redis.defineCommand(name, definition);
  }
}

/** The scripts, queued on a MULTI by name. */
export const scripts = (multi: ChainableCommander) =>
  multi as unknown as Scripts<ChainableCommander>;
