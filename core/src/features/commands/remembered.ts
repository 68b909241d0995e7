/**
 * What pup keeps of one person, as they may see it (their App Home, `/pup remember`): their
 * current profile facts with the messages each came from, their own stored messages pup may
 * recall, and the mood changes their messages caused. Only ever asked for the viewer's own
 * user id, so a message from a DM or a private channel is listed to its author only (it is
 * theirs). Each item carries its permalinks, so the views built from it are pure.
 */
import type { FactKind } from "../../ports/profile-store";
import type { Mood } from "../../ports/slack-vocabulary";
import type { HomeDeps } from "./deps";
import type { LinkedMessage } from "./message-link";

/** Items per page of each list (a view holds at most 100 blocks). */
export const PAGE_SIZE = 10;
/** Pages a list goes back at most; past them, what is older is not listed. */
export const MAX_PAGES = 50;

export interface SourceLink extends LinkedMessage {
  permalink: string;
}

export interface FactItem {
  kind: FactKind;
  fact: string;
  /** The live messages it was drawn from (a deleted source is not listed). */
  sources: SourceLink[];
}

export interface MemoryItem extends SourceLink {
  text: string;
  postedAt: Date;
}

export interface MoodChangeItem {
  from: Mood;
  to: Mood;
  reason: string;
  at: Date;
  /** The message that caused it. */
  permalink: string | null;
}

/** One page of a list, and whether a later page has more. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

/** The page number a button or a caller gave, within 0..MAX_PAGES-1. */
export function pageNumber(value: unknown): number {
  const page = typeof value === "string" ? Number(value) : value;
  if (typeof page !== "number" || !Number.isInteger(page) || page < 0) return 0;
  return Math.min(page, MAX_PAGES - 1);
}

/** The person's current facts that still have a live source, as the profile store keeps them. */
export async function factsOf(deps: HomeDeps, teamId: string, userId: string): Promise<FactItem[]> {
  const facts = await deps.profiles.facts(teamId, userId);
  return facts.flatMap((fact) => {
    const sources = fact.sources
      .filter((source) => !source.deleted)
      .map((source) => ({
        channelId: source.channelId,
        ts: source.ts,
        permalink: deps.slack.permalink(teamId, source.channelId, source.ts),
      }));
    return sources.length > 0 ? [{ kind: fact.kind, fact: fact.fact, sources }] : [];
  });
}

/** A page of the items already read in full (facts: a profile holds few). */
export function pageOf<T>(items: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const start = page * size;
  return { items: items.slice(start, start + size), hasMore: items.length > start + size };
}

/** A page of the person's stored messages pup may recall, newest first. */
export async function memoriesOf(
  deps: HomeDeps,
  teamId: string,
  userId: string,
  page: number,
  size = PAGE_SIZE,
): Promise<Page<MemoryItem>> {
  const rows = await deps.messages.recentByAuthor(teamId, userId, size + 1, page * size);
  return {
    items: rows.slice(0, size).map((message) => ({
      channelId: message.channelId,
      ts: message.ts,
      permalink: deps.slack.permalink(teamId, message.channelId, message.ts),
      text: message.text,
      postedAt: message.postedAt,
    })),
    hasMore: rows.length > size,
  };
}

/** A page of the mood changes the person's messages caused, newest first. */
export async function moodChangesOf(
  deps: HomeDeps,
  teamId: string,
  userId: string,
  page: number,
  size = PAGE_SIZE,
): Promise<Page<MoodChangeItem>> {
  const rows = await deps.moods.transitionsTriggeredBy(teamId, userId, (page + 1) * size + 1);
  return {
    items: rows.slice(page * size, (page + 1) * size).map((change) => ({
      from: change.from,
      to: change.to,
      reason: change.reason,
      at: change.at,
      permalink: change.messageTs
        ? deps.slack.permalink(teamId, change.channelId, change.messageTs)
        : null,
    })),
    hasMore: rows.length > (page + 1) * size,
  };
}
