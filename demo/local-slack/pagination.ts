/**
 * Slack's cursor pagination: a page of at most `limit` items and an opaque `next_cursor` that is
 * empty on the last page. The cursor names the timestamp of the next item (as Slack's own
 * base64 "next_ts:…" cursors do), so posting new messages does not shift later pages.
 */
import { type MethodArgs, optionalInteger, optionalString, SlackApiError } from "./method-args";

/** One page of items plus Slack's `has_more` and cursor. */
export interface Page<Item> {
  items: Item[];
  hasMore: boolean;
  nextCursor: string;
}

/** Slack's default page size for history and replies. */
export const DEFAULT_PAGE_SIZE = 100;
/** Slack's largest page size for history and replies. */
export const MAX_PAGE_SIZE = 999;

/** Pages `ordered` (already in response order) by the `limit` and `cursor` arguments. */
export function paginateByTs<Item extends { ts: string }>(
  ordered: Item[],
  args: MethodArgs,
): Page<Item> {
  const requested = optionalInteger(args, "limit") ?? DEFAULT_PAGE_SIZE;
  const limit = Math.min(Math.max(requested, 1), MAX_PAGE_SIZE);
  const cursor = optionalString(args, "cursor");
  let start = 0;
  if (cursor) {
    const ts = decodeCursor(cursor);
    start = ordered.findIndex((item) => item.ts === ts);
    if (start < 0) throw new SlackApiError("invalid_cursor");
  }
  const items = ordered.slice(start, start + limit);
  const next = ordered[start + limit];
  return { items, hasMore: next !== undefined, nextCursor: next ? encodeCursor(next.ts) : "" };
}

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString("base64");
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, "base64").toString("utf8");
  if (!decoded.startsWith("next_ts:")) throw new SlackApiError("invalid_cursor");
  return decoded.slice("next_ts:".length);
}
