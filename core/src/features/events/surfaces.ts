/**
 * What pup shows on Slack's other surfaces: the prompts an assistant thread opens with, the App
 * Home, and the cache key that remembers which threads are assistant threads.
 */
import { type HomeDeps, publishAppHome } from "../commands";
import type { ClassifiedEvent } from "./classify";
import type { EventsDeps } from "./deps";

/** Remembers assistant threads for status and titles; a cache is enough (it only adds polish). */
export const ASSISTANT_THREAD_TTL_S = 30 * 24 * 3600;

export function assistantKey(teamId: string, channelId: string, threadTs: string): string {
  return `assistant-thread:${teamId}:${channelId}:${threadTs}`;
}

export const SUGGESTED_PROMPTS = [
  { title: "What do you remember?", message: "What do you remember about this team?" },
  // Answered by the summary path: features/summaries isCatchMeUp (ADR-028).
  { title: "Catch me up", message: "Catch me up on the last 24 hours." },
  { title: "How are you feeling?", message: "How are you feeling today, pup?" },
];

/** An assistant thread opened: remember it (its messages get answers) and offer prompts. */
export async function onAssistantThreadStarted(
  deps: Pick<EventsDeps, "cache" | "slack">,
  classified: Extract<ClassifiedEvent, { kind: "assistant_thread_started" }>,
): Promise<void> {
  const { teamId, channelId, threadTs } = classified;
  await deps.cache.set(assistantKey(teamId, channelId, threadTs), "1", ASSISTANT_THREAD_TTL_S);
  await deps.slack.setSuggestedPrompts(teamId, channelId, threadTs, SUGGESTED_PROMPTS, "Try");
}

/**
 * The App Home opened: publish that person's home (what pup remembers of them, with Forget
 * buttons; features/commands builds it and its buttons come back there).
 */
export async function onAppHomeOpened(
  deps: HomeDeps,
  classified: Extract<ClassifiedEvent, { kind: "app_home_opened" }>,
): Promise<void> {
  await publishAppHome(deps, classified.teamId, classified.userId);
}
