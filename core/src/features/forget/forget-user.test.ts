// forgetUser and its sweep over pup's real composition on in-process adapters (PGlite, the
// in-process queue and short-term memory): the sweep is queued with the configured delay, and
// it removes what reached the store after the first purge, once, with its own audit row.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import {
  ALICE,
  BOB,
  type InProcessPup,
  startInProcessPup,
  TEAM,
} from "../../../../test/setup/in-process-pup";
import { FORGET_ME_ACTION, FORGET_ME_SWEEP_ACTION, forgetUser, sweepUser } from "./index";

let pup: InProcessPup;

beforeAll(async () => {
  pup = await startInProcessPup({ llm: "offline" });
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

const stored = (channel: string, ts: string) =>
  pup.deps.messages.find({ teamId: TEAM, channelId: channel, ts });

describe("forget me, then its sweep", () => {
  test("the sweep removes a message of hers that landed after the first purge", async () => {
    const channel = pup.conversation("public");
    const first = pup.said(channel, "alice mentions her kayak");
    const his = pup.said(channel, "bob mentions his canoe", { user: BOB });
    for (const said of [first, his]) await pup.handle(said.envelope);
    expect((await stored(channel, first.ts))?.text).toContain("kayak");

    const report = await forgetUser(pup.deps, { teamId: TEAM, userId: ALICE, actor: ALICE });
    expect(report.rows.messages).toBeGreaterThanOrEqual(1);
    expect(await stored(channel, first.ts)).toBeUndefined();
    // Its sweep waits on the privacy queue (5 minutes by default).
    expect((await pup.deps.queue.depth("privacy")).delayed).toBe(1);

    // A message of hers written before the forget but stored after the purge (a job that was
    // in flight): the store refuses it as hers-and-forgotten, so put it in the way a write
    // racing the mark would have, straight into the table.
    const late = pup.said(channel, "alice mentions her paddle");
    const postedAt = new Date(Number(late.ts.split(".")[0]) * 1000 - 60_000);
    await pup.services.db.db.execute(
      sql.raw(
        `insert into messages (team_id, channel_id, ts, user_id, text, visibility, posted_at)
       values ('${TEAM}', '${channel}', '${late.ts}', '${ALICE}', 'alice mentions her paddle',
               'public_channel', '${postedAt.toISOString()}')`,
      ),
    );
    expect((await stored(channel, late.ts))?.text).toContain("paddle");

    const swept = await sweepUser(pup.deps, { teamId: TEAM, userId: ALICE });
    expect(swept.rows.messages).toBe(1);
    expect(await stored(channel, late.ts)).toBeUndefined();
    expect((await stored(channel, his.ts))?.text).toContain("canoe");
    // Once: a second sweep finds nothing.
    expect((await sweepUser(pup.deps, { teamId: TEAM, userId: ALICE })).rows.messages).toBe(0);

    const audit = await pup.deps.auditLog.list(TEAM);
    const actions = audit.map((entry) => `${entry.action}/${entry.actor}`);
    expect(actions).toContain(`${FORGET_ME_ACTION}/${ALICE}`);
    expect(actions).toContain(`${FORGET_ME_SWEEP_ACTION}/system`);
    expect(JSON.stringify(audit)).not.toContain("paddle");
  });
});
