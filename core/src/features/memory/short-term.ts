/**
 * Short-term memory as the use cases see it: the live conversation read from short-term memory
 * when it can vouch for the answer and from PostgreSQL otherwise (then written back, so the cache
 * warms again), and the writes that follow the message store's. Redis is only a cache: a failing
 * or slow short-term memory is logged and never fails a job or a reply. A write that may have
 * been lost leaves an invalidation behind (the conversation's list, or the message's copy), tried
 * again before short-term memory is used next, so a later read cannot miss what PostgreSQL has.
 *
 * Working memory (features/memory/working-memory.ts, ADR-015), when the deps have one, sits in front: a read
 * gets the conversation's stamp with its list in one round trip and is answered from this
 * process's copy if that copy was taken at the same stamp. Without a stamp (short-term memory
 * failing) no copy is used. Appends made here carry the copy along; edits and deletes drop the
 * channel's copies.
 */
import type { MessageRef, StoredMessage } from "../../ports/message-store";
import type {
  ShortTermConversation,
  ShortTermMemory,
  ShortTermMessage,
} from "../../ports/short-term-memory";
import type { ShortTermDeps } from "./deps";

type Deps = ShortTermDeps;

/** Longest a short-term call may take before PostgreSQL answers instead. */
export const SHORT_TERM_TIMEOUT_MS = 500;
/** After a failure, short-term memory is left alone this long (no per-call timeouts in an outage). */
export const SHORT_TERM_COOL_DOWN_MS = 2000;
/** Messages of a thread read from PostgreSQL to find its newest ones (MessageStore.thread reads oldest first). */
export const THREAD_SCAN_LIMIT = 1000;
/**
 * Invalidations kept while short-term memory is unreachable. Beyond this the oldest give way to
 * their channel, which is then dropped whole on recovery (its every list misses and is warmed
 * again from PostgreSQL), so no lost edit or delete leaves old text readable for a day.
 */
export const MAX_PENDING_INVALIDATIONS = 10_000;
/** Channels remembered as having lost invalidations; beyond this, everything is dropped. */
export const MAX_LOST_CHANNELS = 1_000;
/** Dropping a channel or everything walks Redis's keys (SCAN): it gets longer than one call. */
const DROP_TIMEOUT_MS = 10_000;

/** One invalidation still to apply, and the channel it belongs to. */
interface Pending {
  teamId: string;
  channelId: string;
  invalidate: () => Promise<void>;
}

interface ShortTermState {
  /** Invalidations still to apply, by what they invalidate. */
  pending: Map<string, Pending>;
  /** Channels (`team\u0000channel`) whose invalidations overflowed: dropped whole on recovery. */
  lostChannels: Set<string>;
  /** Even the lost channels overflowed: every list is dropped on recovery. */
  lostAll: boolean;
  /** Unix ms until which short-term memory is not tried. */
  downUntil: number;
}

const states = new WeakMap<ShortTermMemory, ShortTermState>();

function stateOf(store: ShortTermMemory): ShortTermState {
  let state = states.get(store);
  if (!state) {
    state = { pending: new Map(), lostChannels: new Set(), lostAll: false, downUntil: 0 };
    states.set(store, state);
  }
  return state;
}

async function withTimeout<T>(work: Promise<T>, ms = SHORT_TERM_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`short-term memory did not answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `call` on short-term memory once it is usable (not cooling down, earlier invalidations
 * applied); undefined when it is not, or when the call failed (then it cools down).
 */
async function attempt<T>(
  deps: Deps,
  what: string,
  call: () => Promise<T>,
): Promise<T | undefined> {
  const state = stateOf(deps.shortTerm);
  if (deps.now() < state.downUntil) return undefined;
  try {
    await recover(deps, state);
    return await withTimeout(call());
  } catch (error) {
    state.downUntil = deps.now() + SHORT_TERM_COOL_DOWN_MS;
    deps.logger.warn({ err: error, what }, "short-term memory failed; PostgreSQL answers instead");
    return undefined;
  }
}

/**
 * Applies what an outage left: the channels (or everything) that lost invalidations are dropped
 * first, then the invalidations still held. Each step is forgotten only once it succeeded.
 */
async function recover(deps: Deps, state: ShortTermState): Promise<void> {
  if (state.lostAll) {
    await withTimeout(deps.shortTerm.forgetAll(), DROP_TIMEOUT_MS);
    state.lostAll = false;
    state.lostChannels.clear();
    deps.logger.warn({}, "short-term memory dropped whole after an outage lost invalidations");
  }
  for (const key of state.lostChannels) {
    const [teamId = "", channelId = ""] = key.split("\u0000");
    await withTimeout(deps.shortTerm.forgetChannel(teamId, channelId), DROP_TIMEOUT_MS);
    state.lostChannels.delete(key);
    deps.logger.warn({ teamId, channelId }, "short-term channel dropped: invalidations were lost");
  }
  for (const [key, pending] of state.pending) {
    await withTimeout(pending.invalidate());
    state.pending.delete(key);
  }
}

/** Makes room in the pending invalidations: the oldest give way to their whole channel. */
function overflow(deps: Deps, state: ShortTermState): void {
  const { pending, lostChannels } = state;
  while (pending.size > MAX_PENDING_INVALIDATIONS) {
    const [oldest] = pending;
    if (oldest === undefined) break;
    const [key, { teamId, channelId }] = oldest;
    pending.delete(key);
    if (state.lostAll) continue;
    lostChannels.add(`${teamId}\u0000${channelId}`);
    if (lostChannels.size > MAX_LOST_CHANNELS) {
      state.lostAll = true;
      lostChannels.clear();
      deps.logger.error(
        { limit: MAX_LOST_CHANNELS },
        "short-term invalidations lost in too many channels; all of it is dropped on recovery",
      );
    }
  }
}

/**
 * A write, and what it answered; if it may not have happened (undefined), `invalidations` are
 * kept to be applied later.
 */
async function write<T>(
  deps: Deps,
  what: string,
  call: () => Promise<T>,
  invalidations: [string, Pending][],
): Promise<{ answer: T } | undefined> {
  const done = await attempt(deps, what, async () => ({ answer: await call() }));
  if (done) return done;
  const state = stateOf(deps.shortTerm);
  for (const [key, invalidation] of invalidations) {
    state.pending.delete(key);
    state.pending.set(key, invalidation);
  }
  overflow(deps, state);
  return undefined;
}

function conversationKey(c: ShortTermConversation): string {
  return `list:${c.teamId}:${c.channelId}:${c.threadTs ?? ""}`;
}

function forgetConversation(deps: Deps, c: ShortTermConversation): [string, Pending] {
  const invalidate = () => deps.shortTerm.forgetConversation(c);
  return [conversationKey(c), { teamId: c.teamId, channelId: c.channelId, invalidate }];
}

/** An invalidation of one message of `ref`'s channel. */
function forMessage(ref: MessageRef, invalidate: () => Promise<void>): [string, Pending] {
  const key = `message:${ref.teamId}:${ref.channelId}:${ref.ts}`;
  return [key, { teamId: ref.teamId, channelId: ref.channelId, invalidate }];
}

/** The short-term copy of a stored message. */
export function toShortTermMessage(message: StoredMessage): ShortTermMessage {
  return {
    ts: message.ts,
    threadTs: message.threadTs,
    userId: message.userId,
    botId: message.botId,
    text: message.text,
    postedAt: message.postedAt,
  };
}

/** After the message store recorded live messages of one channel: remember them. */
export async function rememberShortTerm(
  deps: Deps,
  teamId: string,
  channelId: string,
  stored: StoredMessage[],
): Promise<void> {
  const live = stored.filter((m) => m.deletedAt === null).map(toShortTermMessage);
  if (live.length === 0) return;
  const threads = new Set(live.flatMap((m) => (m.threadTs === null ? [] : [m.threadTs])));
  const touched: ShortTermConversation[] = [
    { teamId, channelId, threadTs: null },
    ...[...threads].map((threadTs) => ({ teamId, channelId, threadTs })),
  ];
  const done = await write(
    deps,
    "remember",
    () => deps.shortTerm.remember(teamId, channelId, live),
    touched.map((c) => forgetConversation(deps, c)),
  );
  deps.workingMemory?.appended(touched, done?.answer ?? [], live);
}

/** After the message store applied an edit: the short-term copy gets the new text. */
export async function shortTermEdited(deps: Deps, ref: MessageRef, text: string): Promise<void> {
  await write(deps, "edit", () => deps.shortTerm.replaceText(ref, text), [
    forMessage(ref, () => deps.shortTerm.forgetMessage(ref)),
  ]);
  deps.workingMemory?.forgetChannel(ref.teamId, ref.channelId);
}

/** After the message store deleted a message: short-term memory drops it for good. */
export async function shortTermDeleted(deps: Deps, ref: MessageRef): Promise<void> {
  const remove = () => deps.shortTerm.remove(ref);
  await write(deps, "delete", remove, [forMessage(ref, remove)]);
  deps.workingMemory?.forgetChannel(ref.teamId, ref.channelId);
}

/**
 * The newest `count` live messages of a channel's timeline or a thread, oldest first: from
 * short-term memory when it holds all of them, otherwise from PostgreSQL (and written back).
 * Either way the answer is the same.
 */
export async function liveConversation(
  deps: Deps,
  conversation: ShortTermConversation,
  count: number,
): Promise<ShortTermMessage[]> {
  const log = { ...conversation, count };
  const working = deps.workingMemory;
  let stamp: string | undefined;
  let cached: ShortTermMessage[] | undefined;
  if (working) {
    // The stamp comes with the list (one round trip); messages only if this process's copy is old.
    const known = working.heldStamp(conversation, count);
    const read = await attempt(deps, "read", () =>
      deps.shortTerm.readStamped(conversation, count, known),
    );
    if (read === undefined) working.unavailable();
    else {
      stamp = read.stamp;
      const held = working.lookup(conversation, read.stamp, count);
      if (held) {
        deps.logger.debug(
          { ...log, source: "short-term", working: true },
          "live conversation loaded",
        );
        return held;
      }
      // Unchanged, yet the copy went meanwhile (evicted, or moved by a write here): read it.
      cached = read.unchanged
        ? await attempt(deps, "read", () => deps.shortTerm.recent(conversation, count))
        : read.messages;
    }
  } else {
    cached = await attempt(deps, "read", () => deps.shortTerm.recent(conversation, count));
  }
  const keep = (messages: ShortTermMessage[], complete: boolean) => {
    if (stamp !== undefined) working?.store(conversation, stamp, messages, complete);
  };
  if (cached) {
    keep(cached, cached.length < count);
    deps.logger.debug({ ...log, source: "short-term" }, "live conversation loaded");
    return cached;
  }
  const { teamId, channelId, threadTs } = conversation;
  let rows: StoredMessage[];
  let complete: boolean;
  if (threadTs === null) {
    rows = await deps.messages.recentInChannel(teamId, channelId, count);
    complete = rows.length < count;
  } else {
    const all = await deps.messages.thread(teamId, channelId, threadTs, THREAD_SCAN_LIMIT);
    rows = all.slice(-count);
    complete = all.length <= count;
  }
  const messages = rows.map(toShortTermMessage);
  keep(messages, complete);
  await write(deps, "warm", () => deps.shortTerm.warm(conversation, messages, complete), [
    forgetConversation(deps, conversation),
  ]);
  deps.logger.debug({ ...log, source: "postgres" }, "live conversation loaded");
  return messages;
}
