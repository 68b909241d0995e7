/**
 * `/pup remember`'s words: what pup remembers about the caller, their current facts, each with
 * links to the messages it came from. The answer is ephemeral (only the caller sees it), and
 * every fact listed was drawn from the caller's own messages, so it lists all of them, including
 * those drawn from a DM or a private channel, wherever it is asked (ADR-029). Superseded facts
 * are history, never listed as current.
 */
import type { ProfileFact } from "../../ports/profile-store";
import type { RememberDeps } from "./deps";

/** Facts listed at most (a profile rarely has more; the rest are counted). */
const LISTED = 30;

const KIND_ORDER = ["fact", "preference", "interest"] as const;
const KIND_TITLE = { fact: "About you", preference: "How you like answers", interest: "Interests" };

/** One fact as a line: the fact, then a link per live source. */
function factLine(deps: RememberDeps, teamId: string, fact: ProfileFact): string {
  const links = fact.sources
    .filter((source) => !source.deleted)
    .map(
      (source, index) =>
        `<${deps.slack.permalink(teamId, source.channelId, source.ts)}|${index === 0 ? "source" : index + 1}>`,
    );
  // Slack's mrkdwn: the fact is plain text; `<`, `>` and `&` must be escaped to stay text.
  const text = fact.fact.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `• ${text} (${links.join(", ")})`;
}

/**
 * The `/pup remember` answer for the caller, as text (the commands feature adds the blocks with
 * Forget buttons and their recent messages, features/commands/remember.ts).
 */
export async function rememberAnswer(
  deps: RememberDeps,
  invocation: { teamId: string; userId: string },
): Promise<string> {
  const facts = (await deps.profiles.facts(invocation.teamId, invocation.userId)).filter((fact) =>
    fact.sources.some((source) => !source.deleted),
  );
  if (facts.length === 0) {
    return "I don't remember anything about you yet. Tell me things like where you live or how you like answers, and I will.";
  }
  const shown = facts.slice(0, LISTED);
  const lines = ["*What I remember about you* (only you can see this):"];
  for (const kind of KIND_ORDER) {
    const ofKind = shown.filter((fact) => fact.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push(
      `*${KIND_TITLE[kind]}*`,
      ...ofKind.map((fact) => factLine(deps, invocation.teamId, fact)),
    );
  }
  if (facts.length > shown.length) lines.push(`…and ${facts.length - shown.length} more.`);
  lines.push(
    "Delete a message and what I learned only from it goes too; `/pup forget me` forgets it all.",
  );
  return lines.join("\n");
}
