/**
 * What pup shows on Slack's other surfaces: the prompts an assistant thread opens with, the App
 * Home, and the cache key that remembers which threads are assistant threads.
 */

/** Remembers assistant threads for status and titles; a cache is enough (it only adds polish). */
export const ASSISTANT_THREAD_TTL_S = 30 * 24 * 3600;

export function assistantKey(teamId: string, channelId: string, threadTs: string): string {
  return `assistant-thread:${teamId}:${channelId}:${threadTs}`;
}

export const SUGGESTED_PROMPTS = [
  { title: "What do you remember?", message: "What do you remember about this team?" },
  { title: "Catch me up", message: "Catch me up on what I missed this week." },
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
