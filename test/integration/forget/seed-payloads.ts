/**
 * Alice's payloads beyond her messages, for the "forget me" residue test: an edit, a deletion
 * of a message never stored (twice, the second as logged before deletions were filed under
 * their author), a thread notice quoting her, a command and a button. Answers the edited text.
 */
import type { ForgetWorld } from "./fixture";
import { eventDelivery, logged, tsAt } from "./fixture";

export interface AliceContext {
  teamId: string;
  alice: string;
  bob: string;
  aliceName: string;
  said: { edited: string; deleted: string; public: string; command: string };
  wEdited: string;
  wCommand: string;
  /** ts of her edited and her public message. */
  edited: string;
  public: string;
  /** Minutes into the test's past. */
  at: (minutes: number) => Date;
}

export const PUBLIC = "C0FORGET01";
export const PRIVATE = "G0FORGET01";
export const DM = "D0FORGET01";

export async function logAlicePayloads(world: ForgetWorld, a: AliceContext): Promise<string> {
  const { store } = world;
  const { teamId, alice, bob, aliceName, said, wEdited, wCommand } = a;
  const editedText = `alice then wrote ${wEdited} again`;
  await logged(
    world,
    eventDelivery(teamId, `EvA5${teamId}`, a.at(7), {
      type: "message",
      subtype: "message_changed",
      channel: PUBLIC,
      ts: tsAt(a.at(7)),
      message: {
        type: "message",
        user: alice,
        text: editedText,
        ts: a.edited,
        edited: { user: alice, ts: tsAt(a.at(7)) },
      },
      previous_message: { type: "message", user: alice, text: said.edited, ts: a.edited },
    }),
  );
  await store.messages.edit({ teamId, channelId: PUBLIC, ts: a.edited }, editedText, a.at(7));
  const deletedTs = tsAt(a.at(8));
  await logged(
    world,
    eventDelivery(teamId, `EvA6${teamId}`, a.at(8), {
      type: "message",
      user: alice,
      text: said.deleted,
      ts: deletedTs,
      channel: PUBLIC,
    }),
  );
  await logged(
    world,
    eventDelivery(teamId, `EvA7${teamId}`, a.at(9), {
      type: "message",
      subtype: "message_deleted",
      channel: PUBLIC,
      deleted_ts: deletedTs,
      ts: tsAt(a.at(9)),
      previous_message: { type: "message", user: alice, text: said.deleted, ts: deletedTs },
    }),
  );
  // The same deletion delivered again, as logged before deletions were filed under their
  // author (user_id null), of a message never stored: only its content says it is hers.
  const olderDeletion = eventDelivery(teamId, `EvA0${teamId}`, a.at(9), {
    type: "message",
    subtype: "message_deleted",
    channel: PUBLIC,
    deleted_ts: tsAt(a.at(9)),
    ts: tsAt(a.at(9)),
    previous_message: { type: "message", user: alice, text: said.deleted },
  });
  await logged(world, { ...olderDeletion, userId: null });
  await logged(
    world,
    eventDelivery(teamId, `EvA8${teamId}`, a.at(10), {
      type: "message",
      subtype: "message_replied",
      channel: PUBLIC,
      ts: tsAt(a.at(10)),
      message: {
        type: "message",
        user: alice,
        text: said.public,
        ts: a.public,
        replies: [{ user: bob, ts: tsAt(a.at(10)) }],
      },
    }),
  );
  await store.eventLog.append({
    teamId,
    eventId: `command:${teamId}:1`,
    kind: "command",
    eventType: "/pup",
    userId: alice,
    channelId: DM,
    payload: {
      team_id: teamId,
      user_id: alice,
      command: "/pup",
      text: said.command,
      channel_id: DM,
    },
  });
  await store.eventLog.append({
    teamId,
    eventId: `block_actions:${teamId}:1`,
    kind: "interaction",
    eventType: "block_actions",
    userId: alice,
    channelId: DM,
    payload: {
      type: "block_actions",
      team: { id: teamId },
      user: { id: alice, name: aliceName },
      actions: [{ action_id: "forget_me_confirm", value: wCommand }],
    },
  });

  return editedText;
}
