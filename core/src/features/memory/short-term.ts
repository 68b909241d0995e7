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
/** Invalidations kept while short-term memory is unreachable; beyond this the oldest are dropped. */
const MAX_PENDING = 10_000;

interface ShortTermState {
  /** Invalidations still to apply, by what they invalidate. */
  pending: Map<string, () => Promise<void>>;
  /** Unix ms until which short-term memory is not tried. */
  downUntil: number;
}

const states = new WeakMap<ShortTermMemory, ShortTermState>();

function stateOf(store: ShortTermMemory): ShortTermState {
  let state = states.get(store);
  if (!state) {
    state = { pending: new Map(), downUntil: 0 };
    states.set(store, state);
  }
  return state;
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`short-term memory did not answer in ${SHORT_TERM_TIMEOUT_MS} ms`)),
      SHORT_TERM_TIMEOUT_MS,
    );
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
    for (const [key, invalidate] of state.pending) {
      await withTimeout(invalidate());
      state.pending.delete(key);
    }
    return await withTimeout(call());
  } catch (error) {
    state.downUntil = deps.now() + SHORT_TERM_COOL_DOWN_MS;
    deps.logger.warn({ err: error, what }, "short-term memory failed; PostgreSQL answers instead");
    return undefined;
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
  invalidations: [string, () => Promise<void>][],
): Promise<{ answer: T } | undefined> {
  const done = await attempt(deps, what, async () => ({ answer: await call() }));
  if (done) return done;
  const { pending } = stateOf(deps.shortTerm);
  for (const [key, invalidate] of invalidations) {
    pending.delete(key);
    pending.set(key, invalidate);
  }
  while (pending.size > MAX_PENDING) {
    const [oldest] = pending.keys();
    if (oldest === undefined) break;
    pending.delete(oldest);
    deps.logger.error(
      { dropped: oldest },
      "too many short-term invalidations pending; one dropped (its list may be stale for a day)",
    );
  }
  return undefined;
}

function conversationKey(c: ShortTermConversation): string {
  return `list:${c.teamId}:${c.channelId}:${c.threadTs ?? ""}`;
}

function forgetConversation(deps: Deps, c: ShortTermConversation): [string, () => Promise<void>] {
  return [conversationKey(c), () => deps.shortTerm.forgetConversation(c)];
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
    [`message:${ref.teamId}:${ref.channelId}:${ref.ts}`, () => deps.shortTerm.forgetMessage(ref)],
  ]);
  deps.workingMemory?.forgetChannel(ref.teamId, ref.channelId);
}

/** After the message store deleted a message: short-term memory drops it for good. */
export async function shortTermDeleted(deps: Deps, ref: MessageRef): Promise<void> {
  const remove = () => deps.shortTerm.remove(ref);
  await write(deps, "delete", remove, [
    [`message:${ref.teamId}:${ref.channelId}:${ref.ts}`, remove],
  ]);
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
