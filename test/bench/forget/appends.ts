/**
 * Part 3 of the forget benchmark: what the forgotten and tombstone checks add to every
 * acceptance. core's event log append (one statement: probe of the users key, probe of the
 * messages key, INSERT ... ON CONFLICT DO NOTHING) against a plain INSERT ... ON CONFLICT DO
 * NOTHING of the same row through the same driver and pool. The two take turns append by
 * append, so load on the machine hits both alike; each appends events of its own ids.
 */
import { sql } from "drizzle-orm";
import { createSqlEventLog } from "../../../core/src/adapters/sql/event-log";
import type { SlackEventInput } from "../../../core/src/ports/event-log";
import type { Database } from "../../../db/client";
import { queryRows } from "../../../db/query-rows";
import { PEOPLE, personId, TEAM } from "./workspace";

const WARMUP = 200;

export interface AppendTimings {
  /** µs per append. */
  checked: number[];
  plain: number[];
}

/** A message posted now by one of the workspace's people (known users: the probe finds a row). */
function messageEvent(eventId: string, i: number): SlackEventInput {
  const user = personId(i % PEOPLE);
  const channel = `C${String(i % 20).padStart(4, "0")}`;
  const seconds = Math.floor(Date.now() / 1000);
  const ts = `${seconds}.${String(i % 1_000_000).padStart(6, "0")}`;
  return {
    teamId: TEAM,
    eventId,
    kind: "event",
    eventType: "message",
    userId: user,
    channelId: channel,
    payload: {
      token: "bench",
      team_id: TEAM,
      api_app_id: "A0BENCH",
      type: "event_callback",
      event_id: eventId,
      event_time: seconds,
      event: {
        type: "message",
        user,
        text: `append ${i}: the release train leaves on Wednesday`,
        ts,
        channel,
        event_ts: ts,
        channel_type: "channel",
      },
    },
    retryNum: null,
    retryReason: null,
  };
}

export async function measureAppends(db: Database, appends: number): Promise<AppendTimings> {
  const log = createSqlEventLog(db);
  const plainInsert = (event: SlackEventInput) =>
    queryRows<{ id: number }>(
      db,
      sql`insert into slack_events (team_id, event_id, kind, event_type, user_id, channel_id,
                                    payload, retry_num, retry_reason)
          values (${event.teamId}, ${event.eventId}, ${event.kind}::slack_payload_kind,
                  ${event.eventType}, ${event.userId ?? null}, ${event.channelId ?? null},
                  ${JSON.stringify(event.payload)}::jsonb, ${event.retryNum ?? null}::integer,
                  ${event.retryReason ?? null})
          on conflict (team_id, event_id) do nothing
          returning id`,
    );
  const run = uniqueRun();
  const out: AppendTimings = { checked: [], plain: [] };
  for (let i = -WARMUP; i < appends; i++) {
    const checkedFirst = i % 2 === 0;
    for (const which of checkedFirst ? ["checked", "plain"] : ["plain", "checked"]) {
      const event = messageEvent(`Ev${run}${which === "checked" ? "C" : "P"}${i + WARMUP}`, i);
      const start = Bun.nanoseconds();
      const stored =
        which === "checked"
          ? (await log.append(event)).inserted
          : (await plainInsert(event)).length === 1;
      const micros = (Bun.nanoseconds() - start) / 1000;
      if (!stored) throw new Error(`bench: ${which} append of ${event.eventId} stored nothing`);
      if (i >= 0) (which === "checked" ? out.checked : out.plain).push(micros);
    }
  }
  return out;
}

/** Event ids of this run only (the workspace's own payloads are Ev<number>). */
function uniqueRun(): string {
  return `A${Date.now().toString(36)}`;
}
