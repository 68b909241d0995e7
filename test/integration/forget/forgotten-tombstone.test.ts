// The "forgotten" tombstone (users.forgotten_at, ADR-034): what a forgotten person said before
// being forgotten is never stored again (a retry, a late delivery, a queued job), by the message
// store or the event log; what they say afterwards is, and commands are always heard.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventDelivery, type ForgetWorld, openWorld, tsAt, workspaceWith } from "./fixture";

const CHANNEL = "C0TOMBST01";
const CAROL = "U0CAROL001";
const DAN = "U0DAN00001";
// A day ago, in whole seconds (event_time's unit): "now" is well after it.
const FORGOTTEN_AT = new Date(Math.floor(Date.now() / 1000) * 1000 - 24 * 60 * 60 * 1000);
const before = new Date(FORGOTTEN_AT.getTime() - 60_000);
const after = new Date(FORGOTTEN_AT.getTime() + 60_000);

let world: ForgetWorld;
let teamId: string;
let earlierTs: string;

beforeAll(async () => {
  world = openWorld();
  teamId = await workspaceWith(world, { [CHANNEL]: "public_channel" });
  // Stored before she was forgotten (and not purged yet: "forget me" marks first).
  earlierTs = tsAt(before);
  await world.store.messages.upsert({
    teamId,
    channelId: CHANNEL,
    ts: earlierTs,
    userId: CAROL,
    text: "stored earlier",
    postedAt: before,
  });
  await world.store.directory.upsertUser({ teamId, userId: CAROL, name: "carol" });
  await world.store.forgets.markForgotten(teamId, CAROL, FORGOTTEN_AT);
});

afterAll(async () => {
  await world.close();
});

describe("the message store", () => {
  test("refuses a forgotten author's message posted before; the answer is an unstored tombstone", async () => {
    const { messages } = world.store;
    const ts = tsAt(before);
    const answer = await messages.upsert({
      teamId,
      channelId: CHANNEL,
      ts,
      userId: CAROL,
      text: "said before",
      postedAt: before,
    });
    expect(answer).toMatchObject({
      id: 0,
      text: "",
      ts,
      userId: CAROL,
      visibility: "public_channel",
    });
    expect(answer.deletedAt).toEqual(FORGOTTEN_AT);
    expect(await messages.find({ teamId, channelId: CHANNEL, ts })).toBeUndefined();
  });

  test("does not refresh the text of her row stored before (a redelivery with other text)", async () => {
    const ref = { teamId, channelId: CHANNEL, ts: earlierTs };
    const answer = await world.store.messages.upsert({
      ...ref,
      userId: CAROL,
      text: "changed on redelivery",
      postedAt: before,
    });
    expect(answer.id).toBe(0);
    expect((await world.store.messages.find(ref))?.text).toBe("stored earlier");
  });

  test("stores what she says after, and anybody's message from before", async () => {
    const { messages } = world.store;
    const mine = await messages.upsert({
      teamId,
      channelId: CHANNEL,
      ts: tsAt(after),
      userId: CAROL,
      text: "back again",
      postedAt: after,
    });
    expect(mine.id).toBeGreaterThan(0);
    expect(mine.deletedAt).toBeNull();
    const his = await messages.upsert({
      teamId,
      channelId: CHANNEL,
      ts: tsAt(before),
      userId: DAN,
      text: "dan before",
      postedAt: before,
    });
    expect(his.id).toBeGreaterThan(0);
  });
});

describe("the event log", () => {
  const message = (user: string, at: Date) => ({
    type: "message",
    user,
    text: "hello",
    ts: tsAt(at),
    channel: CHANNEL,
  });

  test("refuses her events from before, says so, and keeps none", async () => {
    const { eventLog } = world.store;
    const input = eventDelivery(teamId, `EvTomb1${teamId}`, before, message(CAROL, before));
    expect(await eventLog.append(input)).toEqual({ inserted: false, forgotten: true });
    expect(await eventLog.find(teamId, input.eventId)).toBeUndefined();
    // Her edit of an old message: filed under her (the edit's `message.user`), refused too.
    const edit = eventDelivery(teamId, `EvTomb2${teamId}`, before, {
      type: "message",
      subtype: "message_changed",
      channel: CHANNEL,
      ts: tsAt(before),
      message: { type: "message", user: CAROL, text: "edited", ts: earlierTs },
    });
    expect(await eventLog.append(edit)).toEqual({ inserted: false, forgotten: true });
  });

  test("accepts her events from after, and events without a time (now)", async () => {
    const { eventLog } = world.store;
    const later = await eventLog.append(
      eventDelivery(teamId, `EvTomb3${teamId}`, after, message(CAROL, after)),
    );
    expect(later.inserted).toBe(true);
    // An event that carries no time of its own at all counts as now.
    const timeless = eventDelivery(teamId, `EvTomb4${teamId}`, before, {
      type: "reaction_added",
      user: CAROL,
      reaction: "tada",
    });
    const payload = { ...(timeless.payload as object), event_time: undefined };
    expect((await eventLog.append({ ...timeless, payload })).inserted).toBe(true);
    // The message's own ts decides, to the microsecond: half a second after the forget, within
    // the same whole second as event_time, is after (a Home opened right after forgetting is
    // answered); half a second before is before, whatever the envelope says.
    const sameSecondAfter = new Date(FORGOTTEN_AT.getTime() + 500);
    const exactTs = (at: Date) => (at.getTime() / 1000).toFixed(6);
    const justAfter = eventDelivery(teamId, `EvTomb6${teamId}`, FORGOTTEN_AT, {
      ...message(CAROL, sameSecondAfter),
      ts: exactTs(sameSecondAfter),
      event_ts: exactTs(sameSecondAfter),
    });
    expect((await eventLog.append(justAfter)).inserted).toBe(true);
    const justBefore = new Date(FORGOTTEN_AT.getTime() - 500);
    const late = eventDelivery(teamId, `EvTomb7${teamId}`, after, {
      ...message(CAROL, justBefore),
      ts: exactTs(justBefore),
    });
    expect(await eventLog.append(late)).toEqual({ inserted: false, forgotten: true });
    // A duplicate of an accepted event is a plain duplicate.
    const again = await eventLog.append(
      eventDelivery(teamId, `EvTomb3${teamId}`, after, message(CAROL, after)),
    );
    expect(again).toEqual({ inserted: false });
  });

  test("always accepts her commands and interactions, and others' events from before", async () => {
    const { eventLog } = world.store;
    const command = await eventLog.append({
      teamId,
      eventId: `command:${teamId}:9`,
      kind: "command",
      eventType: "/pup",
      userId: CAROL,
      channelId: CHANNEL,
      payload: { team_id: teamId, user_id: CAROL, command: "/pup", text: "help" },
    });
    expect(command.inserted).toBe(true);
    const button = await eventLog.append({
      teamId,
      eventId: `block_actions:${teamId}:9`,
      kind: "interaction",
      eventType: "block_actions",
      userId: CAROL,
      channelId: CHANNEL,
      payload: { type: "block_actions", user: { id: CAROL } },
    });
    expect(button.inserted).toBe(true);
    const his = await eventLog.append(
      eventDelivery(teamId, `EvTomb5${teamId}`, before, message(DAN, before)),
    );
    expect(his.inserted).toBe(true);
  });
});

describe("a deleted or forgotten message", () => {
  test("gains no payload again: its posting, edit and deletion are refused, others' are not", async () => {
    const { eventLog, messages } = world.store;
    const at = new Date(Date.now() - 60_000);
    const ts = tsAt(at);
    const posted = { type: "message", user: DAN, text: "deleted later", ts, channel: CHANNEL };
    await messages.upsert({ teamId, channelId: CHANNEL, ts, userId: DAN, text: "x", postedAt: at });
    // Before the deletion its payloads are logged as usual.
    expect(
      (await eventLog.append(eventDelivery(teamId, `EvDel0${teamId}`, at, posted))).inserted,
    ).toBe(true);
    await messages.softDelete({ teamId, channelId: CHANNEL, ts }, new Date());
    // A retry of the posting (its row was redacted, so it is not a duplicate), a late edit and
    // a second deletion: none is stored again.
    const retry = eventDelivery(teamId, `EvDel1${teamId}`, at, posted);
    expect(await eventLog.append(retry)).toEqual({ inserted: false, forgotten: true });
    const edit = eventDelivery(teamId, `EvDel2${teamId}`, at, {
      type: "message",
      subtype: "message_changed",
      channel: CHANNEL,
      ts: tsAt(new Date()),
      message: { type: "message", user: DAN, text: "late edit", ts },
    });
    expect(await eventLog.append(edit)).toEqual({ inserted: false, forgotten: true });
    const deletion = eventDelivery(teamId, `EvDel3${teamId}`, at, {
      type: "message",
      subtype: "message_deleted",
      channel: CHANNEL,
      ts: tsAt(new Date()),
      deleted_ts: ts,
      previous_message: { type: "message", user: DAN, text: "deleted later", ts },
    });
    expect(await eventLog.append(deletion)).toEqual({ inserted: false, forgotten: true });
    // A reply in its thread is another message, and is logged.
    const reply = {
      type: "message",
      user: DAN,
      text: "reply",
      ts: tsAt(new Date()),
      thread_ts: ts,
      channel: CHANNEL,
    };
    expect(
      (await eventLog.append(eventDelivery(teamId, `EvDel4${teamId}`, new Date(), reply))).inserted,
    ).toBe(true);
  });
});

describe("the directory and the forgotten mark", () => {
  test("markForgotten clears her names; upsertUser never clears forgotten_at", async () => {
    const { directory, forgets } = world.store;
    expect((await directory.getUser(teamId, CAROL))?.name).toBeNull();
    const updated = await directory.upsertUser({
      teamId,
      userId: CAROL,
      name: "carol again",
      // A caller spreading a whole DirectoryUser would pass this: it must change nothing.
      ...({ forgottenAt: null } as object),
    });
    expect(updated.name).toBe("carol again");
    expect(updated.forgottenAt).toEqual(FORGOTTEN_AT);
    expect(await forgets.forgottenAt(teamId, CAROL)).toEqual(FORGOTTEN_AT);
    expect(await forgets.forgottenAt(teamId, DAN)).toBeUndefined();
  });

  test("a later forget moves the mark forward, an earlier one never back", async () => {
    const { forgets } = world.store;
    const unknownTeam = `${teamId}X`;
    await forgets.markForgotten(unknownTeam, CAROL, after);
    expect(await forgets.forgottenAt(unknownTeam, CAROL)).toEqual(after);
    await forgets.markForgotten(unknownTeam, CAROL, before);
    expect(await forgets.forgottenAt(unknownTeam, CAROL)).toEqual(after);
  });
});
