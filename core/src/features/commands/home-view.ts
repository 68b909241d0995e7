/**
 * pup's App Home for one person, as a pure function of what pup keeps of them: their facts,
 * their messages pup may recall and the mood changes those caused (each with its link and a
 * Forget button), the commands, and "Forget everything about me" behind a confirmation dialog.
 * The lists are paged together (`home_page`, value = the page); a view holds at most 100
 * blocks, and a page of each list stays well inside that.
 */
import type { SlackBlock } from "../../ports/slack-gateway";
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  header,
  MAX_VIEW_BLOCKS,
  section,
} from "./blocks";
import type { FactItem, MemoryItem, MoodChangeItem, Page } from "./remembered";
import { ACTION, factBlock, memoryBlock, moodChangeLines } from "./remembered-blocks";

export interface HomeData {
  /** 0 is the first page. */
  page: number;
  facts: Page<FactItem>;
  memories: Page<MemoryItem>;
  moodChanges: Page<MoodChangeItem>;
  commands: readonly { usage: string; summary: string }[];
  /**
   * The "Forget everything about me" button's value: a fresh id per view, so a double click
   * counts once while a later press (from a later view) is a new request.
   */
  forgetMeValue: string;
  /** A line at the top: what the last button did. */
  notice?: string;
}

export interface HomeView {
  type: "home";
  blocks: SlackBlock[];
  /** The page shown: a button pressed in this view republishes that page. */
  private_metadata: string;
}

/** What an empty list says: nothing yet, or nothing more past the first page. */
function empty(page: number, nothing: string): SlackBlock {
  return section(page === 0 ? `_${nothing}_` : "_Nothing more on this page._");
}

function pageNote(page: number): string {
  return page === 0 ? "" : ` (page ${page + 1})`;
}

export function homeView(data: HomeData): HomeView {
  const { page } = data;
  const blocks: SlackBlock[] = [
    header("What pup remembers about you"),
    context(
      "Only you can see this page. Everything here came from what you said; forget any of it " +
        "with its button, or everything at the bottom.",
    ),
  ];
  if (data.notice) blocks.push(section(escapeMrkdwn(data.notice)));

  blocks.push(divider(), section(`*Facts about you*${pageNote(page)}`));
  if (data.facts.items.length === 0) {
    blocks.push(empty(page, "None yet. Tell me where you live or how you like answers."));
  }
  blocks.push(...data.facts.items.map(factBlock));

  blocks.push(divider(), section(`*Your messages I may recall*${pageNote(page)}`));
  if (data.memories.items.length === 0) blocks.push(empty(page, "None stored."));
  blocks.push(...data.memories.items.map(memoryBlock));

  const moods =
    moodChangeLines(data.moodChanges.items) ||
    (page === 0 ? "_Not at all so far._" : "_Nothing more on this page._");
  blocks.push(divider(), section(`*How your messages moved my mood*${pageNote(page)}\n${moods}`));

  const more =
    data.facts.hasMore || data.memories.hasMore || data.moodChanges.hasMore ? page + 1 : undefined;
  // One button per actions block: an action id must be unique within its block.
  if (page > 0) blocks.push(actions([pageButton("Previous page", page - 1)]));
  if (more !== undefined) blocks.push(actions([pageButton("Next page", more)]));

  blocks.push(
    divider(),
    section(
      [
        "*Commands*",
        ...data.commands.map((c) => `• \`${c.usage}\`: ${escapeMrkdwn(c.summary)}`),
      ].join("\n"),
    ),
    divider(),
    section(
      "*Forget everything about me*\nEvery message you wrote, and everything I drew from them " +
        "(facts, summaries, my mood history with you). This cannot be undone.",
      button({
        text: "Forget everything",
        actionId: ACTION.forgetMeConfirm,
        value: data.forgetMeValue,
        style: "danger",
        confirm: {
          title: "Forget everything?",
          text:
            "pup forgets everything you said in this workspace and all it learned from it. " +
            "This cannot be undone.",
          confirm: "Forget everything",
          deny: "Cancel",
          style: "danger",
        },
      }),
    ),
  );
  return { type: "home", blocks: blocks.slice(0, MAX_VIEW_BLOCKS), private_metadata: String(page) };
}

function pageButton(text: string, page: number): SlackBlock {
  return button({ text, actionId: ACTION.homePage, value: String(page) });
}
