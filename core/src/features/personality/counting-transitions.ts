// A MoodStore that tells someone (the metrics) about every transition it stored.
import type { MoodStore } from "../../ports/mood-store";
import type { Mood } from "../../ports/slack-vocabulary";

/** Wraps `store` so `onTransition` hears each transition of a save that succeeded. */
export function countingTransitions(
  store: MoodStore,
  onTransition: (from: Mood, to: Mood) => void,
): MoodStore {
  return {
    load: (teamId, channelId) => store.load(teamId, channelId),
    history: (teamId, channelId, limit) => store.history(teamId, channelId, limit),
    transitionsTriggeredBy: (teamId, userId, limit) =>
      store.transitionsTriggeredBy(teamId, userId, limit),
    async save(teamId, channelId, expectedVersion, next, transitions) {
      const version = await store.save(teamId, channelId, expectedVersion, next, transitions);
      // A lost race stored nothing: its transitions are redone (and counted) by the retry.
      if (version !== undefined) for (const t of transitions) onTransition(t.from, t.to);
      return version;
    },
  };
}
