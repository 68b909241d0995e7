/**
 * Edits and deletions carried into memory: the stored text, short-term memory and the embedding
 * follow them. Slack does not promise order, so an edit or deletion can arrive before its
 * message; the message is then stored as it is now (edited, or a tombstone), so the original
 * arriving later cannot bring the old text back.
 */
import type { StoredSlackEvent } from "../../ports/event-log";
import type { MessageRef } from "../../ports/message-store";
import { slackTsToDate } from "../../shared/incoming-message";
import { ensureChannel, ensureWorkspace } from "../directory";
import { enqueueEmbedding, shortTermDeleted, shortTermEdited } from "../memory";
import { regenerateSummariesCiting } from "../summaries";
import type { ClassifiedEvent, OutOfOrderMessage } from "./classify";
import type { EventsDeps } from "./deps";

export async function onEdit(
  deps: EventsDeps,
  event: StoredSlackEvent,
  classified: Extract<ClassifiedEvent, { kind: "message_changed" }>,
): Promise<void> {
  const ref = { teamId: classified.teamId, channelId: classified.channelId, ts: classified.ts };
  let changed = await deps.messages.edit(ref, classified.text, classified.editedAt);
  if (!changed && !(await deps.messages.find(ref))) {
    // The edit came before its message (Slack does not promise order): store the message as
    // edited, so the original arriving later cannot bring the old text back.
    await storeOutOfOrder(deps, event, ref, classified.original, classified.text);
    changed = await deps.messages.edit(ref, classified.text, classified.editedAt);
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
  // What the profile learned only from it goes with it (ADR-029); other sources keep a fact.
  const tombstone = await deps.messages.find(ref);
  if (tombstone) await deps.profiles.dropSource(ref.teamId, tombstone.id);
  // Summaries that quoted it are written again without it (ADR-028).
  if (tombstone) await regenerateSummariesCiting(deps, ref.teamId, [tombstone.id]);
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
