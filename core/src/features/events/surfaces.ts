/**
 * What pup shows on Slack's other surfaces: the prompts an assistant thread opens with, the App
 * Home, and the cache key that remembers which threads are assistant threads.
 */
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

export function homeView(): Record<string, unknown> {
  return {
    type: "home",
    blocks: [
      { type: "header", text: { type: "plain_text", text: "pup" } },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text:
            "Mention me in a channel or DM me and I answer in a thread, remembering what the team " +
            "said before. `/pup help` lists what else I can do.",
        },
      },
    ],
  };
}

/** An assistant thread opened: remember it (its messages get answers) and offer prompts. */
export async function onAssistantThreadStarted(
  deps: Pick<EventsDeps, "cache" | "slack">,
  classified: Extract<ClassifiedEvent, { kind: "assistant_thread_started" }>,
): Promise<void> {
  const { teamId, channelId, threadTs } = classified;
  await deps.cache.set(assistantKey(teamId, channelId, threadTs), "1", ASSISTANT_THREAD_TTL_S);
  await deps.slack.setSuggestedPrompts(teamId, channelId, threadTs, SUGGESTED_PROMPTS, "Try");
}

/** The App Home opened: publish pup's home view for that person. */
export async function onAppHomeOpened(
  deps: Pick<EventsDeps, "slack">,
  classified: Extract<ClassifiedEvent, { kind: "app_home_opened" }>,
): Promise<void> {
  await deps.slack.publishHome(classified.teamId, classified.userId, homeView());
}
