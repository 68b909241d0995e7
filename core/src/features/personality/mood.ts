/**
 * pup's mood per conversation, kept: the pure machine (features/personality/mood-machine.ts) moved
 * by signals, its state read from the cache or PostgreSQL and written back by compare-and-set, so
 * messages handled at once in one channel (several workers) all count. Every transition is
 * stored with its reason and the message that caused it; the cache is only ever a copy.
 */

import type { Mood } from "../../ports/slack-vocabulary";
import type { MoodDeps } from "./deps";
import {
  decay,
  initialMoodState,
  type MoodSettings,
  type MoodSignal,
  type MoodState,
  type MoodTransition,
  restoreMoodState,
  step,
} from "./mood-machine";

export type { MoodDeps };

/** Where a mood lives, and the rules of that channel. */
export interface MoodScope {
  teamId: string;
  channelId: string;
  /** The channel's settings: thresholds and the moods it forbids. */
  settings: MoodSettings;
}

export interface MoodOutcome {
  mood: Mood;
  since: number;
  /** Transitions this call made (and stored), oldest first. */
  transitions: MoodTransition[];
}

/**
 * What moved the mood: the Slack event, and the author of the message it carried (their App
 * Home lists the changes their messages caused; a reaction to pup's message names nobody).
 */
export interface MoodCause {
  eventId?: string;
  userId?: string;
}

const CACHE_TTL_SECONDS = 24 * 60 * 60;
/**
 * Each conflict means another writer saved in between, so N writers at once need at most N + 1
 * attempts (one more for a stale cache). A burst of messages in a busy channel can reach 20 or so
 * (5 lost most of 20 changes at once); past this, something is off and the mood goes unsaved.
 */
const MAX_ATTEMPTS = 32;

export function moodCacheKey(teamId: string, channelId: string): string {
  return `mood:${teamId}:${channelId}`;
}

interface Loaded {
  state: MoodState;
  version: number;
}

/**
 * Applies `signals` (oldest first; none: just the decay due by now) to the conversation's mood
 * and stores the result. Never throws for a lost race; a storage failure is thrown (the caller
 * decides whether the mood is worth failing for).
 */
export async function moveMood(
  deps: MoodDeps,
  scope: MoodScope,
  signals: readonly MoodSignal[],
  cause: MoodCause = {},
): Promise<MoodOutcome> {
  let fresh = false;
  for (let attempt = 1; ; attempt++) {
    const loaded = await load(deps, scope, fresh);
    const transitions: MoodTransition[] = [];
    let state = loaded.state;
    const steps =
      signals.length === 0
        ? [decay(state, deps.now(), scope.settings)]
        : signals.map((signal) => {
            const next = step(state, signal, scope.settings);
            state = next.state;
            return next;
          });
    for (const s of steps) {
      transitions.push(...s.transitions);
      state = s.state;
      for (const held of s.suppressed) {
        deps.logger.info(
          { teamId: scope.teamId, channelId: scope.channelId, from: held.from, to: held.to },
          "mood change held back by the channel's tone rules",
        );
      }
    }
    if (JSON.stringify(state) === JSON.stringify(loaded.state)) {
      return { mood: state.mood, since: state.since, transitions: [] };
    }
    const version = await deps.moods.save(
      scope.teamId,
      scope.channelId,
      loaded.version,
      {
        mood: state.mood,
        since: new Date(state.since),
        state: state as unknown as Record<string, unknown>,
        reason: transitions.at(-1)?.reason ?? null,
      },
      transitions.map((t) => ({
        from: t.from,
        to: t.to,
        reason: t.reason,
        at: new Date(t.at),
        messageTs: t.messageTs ?? null,
        eventId: t.messageTs !== undefined ? (cause.eventId ?? null) : null,
        userId: t.messageTs !== undefined ? (cause.userId ?? null) : null,
      })),
    );
    if (version !== undefined) {
      await remember(deps, scope, { state, version });
      if (transitions.length > 0) {
        deps.logger.info(
          {
            teamId: scope.teamId,
            channelId: scope.channelId,
            transitions: transitions.map((t) => `${t.from}->${t.to}: ${t.reason}`),
          },
          "mood changed",
        );
      }
      return { mood: state.mood, since: state.since, transitions };
    }
    // Someone saved first: read the truth from PostgreSQL (the cache may be behind) and redo.
    fresh = true;
    if (attempt >= MAX_ATTEMPTS) {
      deps.logger.warn(
        { teamId: scope.teamId, channelId: scope.channelId, attempts: attempt },
        "mood not saved: too many concurrent changes; using it unsaved",
      );
      return { mood: state.mood, since: state.since, transitions };
    }
  }
}

/** The conversation's mood now (any decay due applied and stored). */
export function currentMood(deps: MoodDeps, scope: MoodScope): Promise<MoodOutcome> {
  return moveMood(deps, scope, []);
}

async function load(deps: MoodDeps, scope: MoodScope, fresh: boolean): Promise<Loaded> {
  const key = moodCacheKey(scope.teamId, scope.channelId);
  if (!fresh) {
    const cached = await deps.cache.get(key).catch(() => undefined);
    const parsed = cached === undefined ? undefined : parseCached(cached);
    if (parsed) return parsed;
  }
  const stored = await deps.moods.load(scope.teamId, scope.channelId);
  const loaded: Loaded = stored
    ? {
        // A state this version cannot read starts afresh in the stored mood (kept, not reset).
        state: restoreMoodState(stored.state) ?? {
          ...initialMoodState(stored.since.getTime()),
          mood: stored.mood,
        },
        version: stored.version,
      }
    : { state: initialMoodState(deps.now()), version: 0 };
  if (stored) await remember(deps, scope, loaded);
  return loaded;
}

function parseCached(text: string): Loaded | undefined {
  try {
    const value = JSON.parse(text) as { state?: unknown; version?: unknown };
    const state = restoreMoodState(value.state);
    if (!state || !Number.isInteger(value.version)) return undefined;
    return { state, version: value.version as number };
  } catch {
    return undefined;
  }
}

/** A cache write failing costs a database read later, never the mood itself. */
async function remember(deps: MoodDeps, scope: MoodScope, loaded: Loaded): Promise<void> {
  try {
    await deps.cache.set(
      moodCacheKey(scope.teamId, scope.channelId),
      JSON.stringify(loaded),
      CACHE_TTL_SECONDS,
    );
  } catch (error) {
    deps.logger.warn({ err: error }, "mood cache write failed");
  }
}
