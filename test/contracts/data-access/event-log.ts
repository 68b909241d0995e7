// Contract: the event log stores each payload once and refuses to change what it stored.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../db/query-rows";
import { uniqueName } from "../../setup/isolation";
import { type ContractContext, newWorkspace } from "./context";

/** The database's own message, under drizzle's "Failed query" wrapper. */
export async function failureOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
    return `${error instanceof Error ? error.message : String(error)} ${cause}`;
  }
  return "(no error)";
}

export function registerEventLogContract(context: ContractContext): void {
  const event = (teamId: string, eventId: string) => ({
    teamId,
    eventId,
    kind: "event" as const,
    eventType: "message",
    userId: "U1",
    channelId: "C1",
    payload: { event: { type: "message", text: "hello" } },
  });

  test("append stores an event once and reports the duplicate without throwing", async () => {
    const log = context.access().eventLog;
    const teamId = uniqueName("T");
    const first = await log.append(event(teamId, "Ev1"));
    const again = await log.append({
      ...event(teamId, "Ev1"),
      retryNum: 1,
      retryReason: "timeout",
    });
    const otherTeam = await log.append(event(uniqueName("T"), "Ev1"));

    expect(first.inserted).toBe(true);
    expect(again).toEqual({ inserted: false });
    expect(otherTeam.inserted).toBe(true);
    const stored = await log.find(teamId, "Ev1");
    expect(stored?.payload).toEqual({ event: { type: "message", text: "hello" } });
    expect(stored?.retryNum).toBeNull();
  });

  test("slack_events rejects UPDATE, and DELETE unless redaction is on", async () => {
    const { db } = context.handle();
    const teamId = uniqueName("T");
    await context.access().eventLog.append(event(teamId, "EvA"));
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          db,
          sql`select count(*)::integer as n from slack_events where team_id = ${teamId}`,
        )
      )[0]?.n;

    expect(
      await failureOf(
        db.execute(sql`update slack_events set event_type = 'x' where team_id = ${teamId}`),
      ),
    ).toContain("append-only");
    expect(
      await failureOf(db.execute(sql`delete from slack_events where team_id = ${teamId}`)),
    ).toContain("append-only");
    expect(await count()).toBe(1);

    await db.transaction(async (tx) => {
      await tx.execute(sql`set local pup.allow_redaction = 'on'`);
      await tx.execute(sql`delete from slack_events where team_id = ${teamId}`);
    });
    expect(await count()).toBe(0);

    // The permission ended with its transaction.
    await context.access().eventLog.append(event(teamId, "EvB"));
    expect(
      await failureOf(db.execute(sql`delete from slack_events where team_id = ${teamId}`)),
    ).toContain("append-only");
  });

  test("the audit log records, lists newest first, and is append-only too", async () => {
    const { db } = context.handle();
    const audit = context.access().auditLog;
    const teamId = await newWorkspace(context);
    await audit.record({ teamId, actor: "U1", action: "admin.tone.set", details: { tone: "dry" } });
    await audit.record({ teamId, actor: "system", action: "privacy.forget_me", subject: "U2" });

    const all = await audit.list(teamId);
    expect(all.map((entry) => entry.action)).toEqual(["privacy.forget_me", "admin.tone.set"]);
    expect(all[1]?.details).toEqual({ tone: "dry" });
    expect(await audit.list(teamId, { action: "admin.tone.set" })).toHaveLength(1);
    expect(await audit.list(uniqueName("T"))).toEqual([]);

    expect(
      await failureOf(db.execute(sql`update audit_log set actor = 'x' where team_id = ${teamId}`)),
    ).toContain("append-only");
    expect(
      await failureOf(db.execute(sql`delete from audit_log where team_id = ${teamId}`)),
    ).toContain("append-only");
  });
}
