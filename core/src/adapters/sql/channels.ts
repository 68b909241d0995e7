// The Directory's conversation-wide changes over SQL: visibility (the channel row and the copy
// on each of its messages, together), an id change carrying everything kept by the id, and
// Slack Connect sharing. The event log keeps the ids it was given (it is append-only).
import { sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { queryRows } from "../../../../db/query-rows";
import type { ChannelVisibility } from "../../ports/slack-vocabulary";

/** Tables keyed by (team_id, channel_id) with no row of their own per channel. */
const FOLLOWING_TABLES = ["conversation_summaries", "mood_transitions", "bot_replies"] as const;

export async function setChannelVisibility(
  db: Database,
  teamId: string,
  channelId: string,
  visibility: ChannelVisibility,
): Promise<number> {
  return db.transaction(async (tx) => {
    // The channel row first: its lock makes a message insert that reads it (message-store.ts,
    // `for share`) wait for this transaction, then read the new visibility.
    await tx.execute(
      sql`insert into channels (team_id, channel_id, visibility) values (${teamId}, ${channelId}, ${visibility})
          on conflict (team_id, channel_id)
          do update set visibility = excluded.visibility, updated_at = now()`,
    );
    const rows = await queryRows<{ id: number }>(
      tx,
      sql`update messages set visibility = ${visibility}
          where team_id = ${teamId} and channel_id = ${channelId}
            and visibility is distinct from ${visibility}
          returning id`,
    );
    return rows.length;
  });
}

export async function moveChannel(
  db: Database,
  teamId: string,
  oldChannelId: string,
  newChannelId: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [old] = await queryRows<{ visibility: ChannelVisibility }>(
      tx,
      sql`select visibility from channels
          where team_id = ${teamId} and channel_id = ${oldChannelId} for update`,
    );
    if (!old) return false;
    const [taken] = await queryRows<{ channel_id: string }>(
      tx,
      sql`select channel_id from channels
          where team_id = ${teamId} and channel_id = ${newChannelId} for update`,
    );
    if (!taken) {
      // Messages follow by their foreign key (ON UPDATE CASCADE, migration 0006).
      await tx.execute(
        sql`update channels set channel_id = ${newChannelId}, updated_at = now()
            where team_id = ${teamId} and channel_id = ${oldChannelId}`,
      );
    } else {
      // A message under the new id arrived first and made its row: the old row's messages move
      // into it, taking its visibility (the newer word), and the old row goes.
      await tx.execute(
        sql`update messages
            set channel_id = ${newChannelId},
                visibility = (select visibility from channels
                              where team_id = ${teamId} and channel_id = ${newChannelId})
            where team_id = ${teamId} and channel_id = ${oldChannelId}`,
      );
      await tx.execute(
        sql`update channels n set tone_rules = o.tone_rules || n.tone_rules
            from channels o
            where n.team_id = ${teamId} and n.channel_id = ${newChannelId}
              and o.team_id = ${teamId} and o.channel_id = ${oldChannelId}`,
      );
      await tx.execute(
        sql`delete from channels where team_id = ${teamId} and channel_id = ${oldChannelId}`,
      );
    }
    for (const table of FOLLOWING_TABLES) {
      await tx.execute(
        sql`update ${sql.identifier(table)} set channel_id = ${newChannelId}
            where team_id = ${teamId} and channel_id = ${oldChannelId}`,
      );
    }
    // One mood per conversation: the old one moves unless the new id has its own already.
    await tx.execute(
      sql`update mood_states set channel_id = ${newChannelId}
          where team_id = ${teamId} and channel_id = ${oldChannelId}
            and not exists (select 1 from mood_states
                            where team_id = ${teamId} and channel_id = ${newChannelId})`,
    );
    await tx.execute(
      sql`delete from mood_states where team_id = ${teamId} and channel_id = ${oldChannelId}`,
    );
    return true;
  });
}

export async function setChannelShared(
  db: Database,
  teamId: string,
  channelId: string,
  shared: boolean,
): Promise<boolean> {
  const rows = await queryRows<{ channel_id: string }>(
    db,
    sql`update channels set is_shared = ${shared}, updated_at = now()
        where team_id = ${teamId} and channel_id = ${channelId}
        returning channel_id`,
  );
  return rows.length > 0;
}
