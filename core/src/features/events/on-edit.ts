/**
 * Edits and deletions carried into memory: the stored text, short-term memory and the embedding
 * follow them. Slack does not promise order, so an edit or deletion can arrive before its
 * message; the message is then stored as it is now (edited, or a tombstone), so the original
 * arriving later cannot bring the old text back. A deletion also forgets the message (ADR-034):
 * the event log's payloads that carry its text are redacted, and every copy of it goes.
 */
import type { StoredSlackEvent } from "../../ports/event-log";
import type { MessageRef } from "../../ports/message-store";
import { slackTsToDate } from "../../shared/incoming-message";
import { refreshHomes } from "../commands";
import { ensureChannel, ensureWorkspace } from "../directory";
import { forgetDeletedMessage } from "../forget";
import { enqueueEmbedding, shortTermDeleted, shortTermEdited } from "../memory";
import type { ClassifiedEvent, OutOfOrderMessage } from "./classify";
import type { EventsDeps } from "./deps";

export async function onEdit(
  deps: EventsDeps,
  event: StoredSlackEvent,
  classified: Extract<ClassifiedEvent, { kind: "message_changed" }>,
): Promise<void> {
  const ref = { teamId: classified.teamId, channelId: classified.channelId, ts: classified.ts };
  let changed = await deps.messages.edit(ref, classified.text, classified.editedAt);
  const current = changed ? undefined : await deps.messages.find(ref);
  if (!changed && !current) {
    // The edit came before its message (Slack does not promise order): store the message as
    // edited, so the original arriving later cannot bring the old text back.
    await storeOutOfOrder(deps, event, ref, classified.original, classified.text);
    changed = await deps.messages.edit(ref, classified.text, classified.editedAt);
  } else if (current?.deletedAt) {
    // An edit of a message already deleted (late or retried): its payload, just logged, holds
    // the text, so the message is forgotten again and that payload redacted too.
    await forgetDeletedMessage(deps, ref);
    return;
  }
  if (changed) await shortTermEdited(deps, ref, classified.text);
  if (changed && classified.text.trim() !== "") {
    await enqueueEmbedding(deps, ref.teamId, ref.channelId, ref.ts, classified.editedAt.getTime());
  }
}

export async function onDelete(
  deps: EventsDeps,
  event: StoredSlackEvent,
  classified: Extract<ClassifiedEvent, { kind: "message_deleted" }>,
): Promise<void> {
  const ref = { teamId: classified.teamId, channelId: classified.channelId, ts: classified.ts };
  const deleted = await deps.messages.softDelete(ref, classified.deletedAt);
  if (!deleted && !(await deps.messages.find(ref))) {
    // The deletion came before its message: leave a tombstone, so the message arriving later
    // stays deleted (never stored, recalled or answered).
    await storeOutOfOrder(deps, event, ref, classified.original, "");
    await deps.messages.softDelete(ref, classified.deletedAt);
  }
  // Even if the store had it deleted already: a short-term copy must not outlive it.
  await shortTermDeleted(deps, ref);
  // What the profile learned only from it goes with it (ADR-029); other sources keep a fact,
  // and a fact it had superseded is current again (the forget below only deletes).
  const tombstone = await deps.messages.find(ref);
  if (tombstone) await deps.profiles.dropSource(ref.teamId, tombstone.id);
  // Deleted in Slack is forgotten (ADR-034): its payloads in the event log (the original, its
  // edits, this deletion's `previous_message`) are redacted with an audit row, summaries that
  // drew on it are deleted and rewritten without it (ADR-028), queued jobs carrying it go.
  // Idempotent, so a retried job or a repeated deletion does it again harmlessly.
  await forgetDeletedMessage(deps, ref);
  // The author's App Home, if Slack shows them one, may still list it.
  await refreshHomes(deps, ref.teamId, [classified.original.userId ?? tombstone?.userId]);
}

/** Stores a message first seen through its edit or deletion, as far as that event tells it. */
async function storeOutOfOrder(
  deps: EventsDeps,
  event: StoredSlackEvent,
  ref: MessageRef,
  original: OutOfOrderMessage,
  text: string,
): Promise<void> {
  await ensureWorkspace(deps, ref.teamId);
  const channel = await ensureChannel(deps, ref.teamId, ref.channelId, original.visibility);
  await deps.messages.upsert({
    ...ref,
    threadTs: original.threadTs,
    userId: original.userId,
    text,
    visibility: channel.visibility,
    postedAt: slackTsToDate(ref.ts),
    sourceEventId: event.id,
  });
}
