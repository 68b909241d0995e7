/**
 * `/pup remember`: the caller's current facts, each linked to its sources, and their latest
 * messages pup may recall, each with a link; every item has a Forget button. Only the caller
 * sees it (ephemeral), so what they said in a DM or a private channel is listed too (it is
 * theirs, ADR-029). The text is the facts as profiles words them (features/profiles), the
 * fallback notifications show; longer lists continue in the App Home.
 */
import { rememberAnswer } from "../profiles";
import { context, escapeMrkdwn, section } from "./blocks";
import type { CommandAnswer, PupCommand } from "./command-types";
import type { HomeDeps } from "./deps";
import { factsOf, memoriesOf } from "./remembered";
import { factBlock, memoryBlock } from "./remembered-blocks";

/** Items listed in the answer (a message holds at most 50 blocks). */
const LISTED_FACTS = 15;
const LISTED_MEMORIES = 10;

const APP_HOME = "my App Home (open pup in Slack's sidebar)";

/** The answer for `userId`, with `notice` (what a button just did) at the top. */
export async function rememberWithBlocks(
  deps: HomeDeps,
  teamId: string,
  userId: string,
  notice?: string,
): Promise<CommandAnswer> {
  const [facts, memories, factsText] = await Promise.all([
    factsOf(deps, teamId, userId),
    memoriesOf(deps, teamId, userId, 0, LISTED_MEMORIES),
    rememberAnswer(deps, { teamId, userId }),
  ]);
  const blocks = [
    ...(notice ? [section(escapeMrkdwn(notice))] : []),
    section("*What I remember about you* (only you can see this)"),
    section("*Facts*"),
  ];
  if (facts.length === 0) blocks.push(section("_None yet._"));
  blocks.push(...facts.slice(0, LISTED_FACTS).map(factBlock));
  if (facts.length > LISTED_FACTS) {
    blocks.push(context(`…and ${facts.length - LISTED_FACTS} more in ${APP_HOME}.`));
  }
  blocks.push(section("*Your recent messages I may recall*"));
  if (memories.items.length === 0) blocks.push(section("_None stored._"));
  blocks.push(...memories.items.map(memoryBlock));
  if (memories.hasMore) blocks.push(context(`Older ones are in ${APP_HOME}.`));
  blocks.push(context("`/pup forget me` forgets everything about you."));
  const text =
    memories.items.length > 0
      ? `${factsText}\nYour recent messages I may recall are listed here and in ${APP_HOME}.`
      : factsText;
  return { text: notice ? `${notice}\n${text}` : text, blocks };
}

export const rememberCommand: PupCommand = {
  name: "remember",
  usage: "/pup remember",
  summary: "what pup remembers about you, with links to where you said it",
  run: (deps, invocation) => rememberWithBlocks(deps, invocation.teamId, invocation.userId),
};
