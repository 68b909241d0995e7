// Applying extracted facts to one user's profile, inside the caller's transaction and its lock:
// restated facts gain a source, contradicting ones supersede (history kept), re-applied ones are
// skipped, so running a profile job twice has no further effect.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { userProfileFactSources, userProfileFacts } from "../../../../db/schema";
import type { ApplyOutcome, ExtractedFact } from "../../ports/profile-store";

/** Same value, whatever the case, spacing or final punctuation. */
export function sameFactText(a: string, b: string): boolean {
  const norm = (text: string) =>
    text
      .toLowerCase()
      .replace(/[\s.!,;:]+/g, " ")
      .trim();
  return norm(a) === norm(b);
}

export async function applyFactsLocked(
  db: Database,
  teamId: string,
  userId: string,
  facts: ExtractedFact[],
): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { added: 0, superseded: 0, confirmed: 0, skipped: 0 };
  const ordered = [...facts].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  const ofUser = and(eq(userProfileFacts.teamId, teamId), eq(userProfileFacts.userId, userId));
  for (const fact of ordered) {
    if (fact.sourceMessageIds.length === 0) continue;
    const [applied] = await db
      .select({ id: userProfileFacts.id })
      .from(userProfileFacts)
      .innerJoin(userProfileFactSources, eq(userProfileFactSources.factId, userProfileFacts.id))
      .where(
        and(
          ofUser,
          eq(userProfileFacts.subject, fact.subject),
          inArray(userProfileFactSources.messageId, fact.sourceMessageIds),
        ),
      )
      .limit(1);
    if (applied) {
      outcome.skipped++;
      continue;
    }
    const [current] = await db
      .select()
      .from(userProfileFacts)
      .where(
        and(
          ofUser,
          eq(userProfileFacts.subject, fact.subject),
          isNull(userProfileFacts.supersededAt),
        ),
      )
      .limit(1);
    if (current && sameFactText(current.fact, fact.fact)) {
      await link(db, teamId, current.id, fact.sourceMessageIds);
      await db
        .update(userProfileFacts)
        .set({
          // A Date bound raw reaches postgres.js untyped: pass its ISO text, cast.
          validFrom: sql`least(${userProfileFacts.validFrom}, ${fact.validFrom.toISOString()}::timestamptz)`,
          updatedAt: sql`now()`,
        })
        .where(eq(userProfileFacts.id, current.id));
      outcome.confirmed++;
      continue;
    }
    // Said before the current fact (a late or retried job): history, superseded by the current.
    const older = current !== undefined && fact.validFrom < current.validFrom;
    const [row] = await db
      .insert(userProfileFacts)
      .values({
        teamId,
        userId,
        kind: fact.kind,
        subject: fact.subject,
        fact: fact.fact,
        validFrom: fact.validFrom,
        ...(older && current ? { supersededAt: current.validFrom, supersededBy: current.id } : {}),
      })
      .returning({ id: userProfileFacts.id });
    if (!row) throw new Error("profile fact insert returned no row");
    await link(db, teamId, row.id, fact.sourceMessageIds);
    outcome.added++;
    if (current && !older) {
      await db
        .update(userProfileFacts)
        .set({ supersededAt: fact.validFrom, supersededBy: row.id, updatedAt: sql`now()` })
        .where(eq(userProfileFacts.id, current.id));
      outcome.superseded++;
    }
  }
  return outcome;
}

async function link(db: Database, teamId: string, factId: number, messageIds: number[]) {
  await db
    .insert(userProfileFactSources)
    .values(messageIds.map((messageId) => ({ factId, messageId, teamId })))
    .onConflictDoNothing();
}
