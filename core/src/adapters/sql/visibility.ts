// The one visibility rule every turn that can enter a prompt passes (CONTRACT.md, "Who may see
// what"; ADR-022): a message is visible from the asking conversation when it was said there, or
// in a public channel of the same workspace (the caller filters by team) and, for a guest or
// someone from another organisation (`memberOf`), in a conversation they are a member of. It
// reads the visibility copied onto each message, which conversions rewrite with the channel row
// in one transaction (channels.ts), so it is the conversation's current state.
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import type { RecallScope } from "../../ports/message-store";
import { textArrayLiteral } from "./message-batches";

/** A message's columns the rule reads: drizzle columns or raw SQL (`m.channel_id`). */
export interface VisibilityColumns {
  channelId: AnyColumn | SQL;
  visibility: AnyColumn | SQL;
}

/** Raw SQL columns of the messages row aliased `alias`. */
export function aliased(alias: string): VisibilityColumns {
  return {
    channelId: sql.raw(`${alias}.channel_id`),
    visibility: sql.raw(`${alias}.visibility`),
  };
}

export function visibleIn(
  columns: VisibilityColumns,
  scope: Pick<RecallScope, "fromChannelId" | "memberOf">,
): SQL {
  const publicChannel = sql`${columns.visibility} = 'public_channel'`;
  const shown =
    scope.memberOf === undefined
      ? publicChannel
      : sql`(${publicChannel} and ${columns.channelId} = any(${textArrayLiteral(scope.memberOf)}::text[]))`;
  return sql`(${columns.channelId} = ${scope.fromChannelId} or ${shown})`;
}
