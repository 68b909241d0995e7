/**
 * One Events API delivery (a `message` job of kind `event`) turned into memory and, when pup is
 * addressed, into a reply. Every step is idempotent (upserts by channel and ts, embedding jobs
 * by message and version, replies by send key), so a retried job or a duplicate delivery does
 * no harm.
 */
import type { StoredSlackEvent } from "../../ports/event-log";
import type { MessageRef } from "../../ports/message-store";
import type { BotIdentity } from "../../ports/slack-gateway";
import { slackTsToDate, withoutPupMention } from "../../shared/incoming-message";
import { ensureChannel, ensureUser } from "../directory";
import { enqueueEmbedding, rememberShortTerm, shortTermDeleted, shortTermEdited } from "../memory";
import { moodForReaction } from "../personality";
import { replyTo } from "../reply";
import {
  type ClassifiedEvent,
  classifyEvent,
  decideReply,
  type OutOfOrderMessage,
} from "./classify";
import type { EventsDeps } from "./deps";
import { ASSISTANT_THREAD_TTL_S, assistantKey, homeView, SUGGESTED_PROMPTS } from "./surfaces";

/** Handles one Events API payload (a `message` job of kind `event`). */
export async function handleSlackEvent(deps: EventsDeps, event: StoredSlackEvent): Promise<void> {
  const identity = await deps.slack.identity();
  await handleEvent(deps, event, identity, classifyEvent(event.payload, identity.userId));
}

async function handleEvent(
  deps: EventsDeps,
  event: StoredSlackEvent,
  identity: BotIdentity,
  classified: ClassifiedEvent,
): Promise<void> {
  switch (classified.kind) {
    case "message": {
      const { message } = classified;
      if (!(await deps.directory.getWorkspace(message.teamId))) {
        await deps.directory.upsertWorkspace({ teamId: message.teamId });
      }
      const channel = await ensureChannel(
        deps,
        message.teamId,
        message.channelId,
        message.visibility,
      );
      await ensureUser(deps, message.teamId, message.userId);
      const stored = await deps.messages.upsert({
        teamId: message.teamId,
        channelId: message.channelId,
        ts: message.ts,
        threadTs: message.threadTs,
        userId: message.userId,
        text: message.text,
        visibility: channel.visibility,
        postedAt: message.postedAt,
        sourceEventId: event.id,
      });
      // Deleted before it arrived (a tombstone from an out-of-order deletion): nothing to do.
      if (stored.deletedAt !== null) return;
      // Short-term memory follows the message store; it never fails the job (a cache).
      await rememberShortTerm(deps, message.teamId, message.channelId, [stored]);
      const embeddable = stored.deletedAt === null && stored.text.trim() !== "";
      // The stored text: an edit that came before the message wins over the message's own text.
      const withVisibility = { ...message, text: stored.text, visibility: channel.visibility };
      const assistantThread =
        message.threadTs !== null &&
        (await deps.cache.get(
          assistantKey(message.teamId, message.channelId, message.threadTs),
        )) !== undefined;
      const pupInThread =
        message.threadTs !== null &&
        (await deps.botReplies.repliedInThread(
          message.teamId,
          message.channelId,
          message.threadTs,
        ));
      const decision = decideReply(withVisibility, { pupInThread, assistantThread });
      if (!decision.reply) {
        if (embeddable) {
          await enqueueEmbedding(deps, message.teamId, message.channelId, message.ts, 0);
        }
        return;
      }
      // A message pup answers is embedded here, once: the vector asks recall now and is stored
      // with the message while the reply is written (the HNSW insert is the dearest write).
      const embedded = embeddable
        ? await embedNow(
            deps,
            message.teamId,
            // The stored text: an edit that arrived before the message is what it says now.
            withoutPupMention(stored.text, identity.userId) || stored.text,
          )
        : undefined;
      const storing = embedded
        ? deps.messages
            .setEmbedding(message.teamId, stored.id, embedded, deps.embedder.model, stored.text)
            .then(
              () => true,
              (error: unknown) => {
                deps.logger.warn({ err: error }, "storing a message's embedding failed; queued");
                return false;
              },
            )
        : Promise.resolve(false);
      try {
        await replyTo(deps, {
          message: withVisibility,
          channel,
          identity,
          reason: decision.reason,
          assistantThread,
          eventId: event.eventId,
          inPupThread: pupInThread,
          ...(embedded ? { queryVector: embedded } : {}),
        });
      } finally {
        if (embeddable && !(await storing)) {
          await enqueueEmbedding(deps, message.teamId, message.channelId, message.ts, 0);
        }
      }
      return;
    }
    case "message_changed": {
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
        await enqueueEmbedding(
          deps,
          ref.teamId,
          ref.channelId,
          ref.ts,
          classified.editedAt.getTime(),
        );
      }
      return;
    }
    case "message_deleted": {
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
      return;
    }
    case "assistant_thread_started": {
      const { teamId, channelId, threadTs } = classified;
      await deps.cache.set(assistantKey(teamId, channelId, threadTs), "1", ASSISTANT_THREAD_TTL_S);
      await deps.slack.setSuggestedPrompts(teamId, channelId, threadTs, SUGGESTED_PROMPTS, "Try");
      return;
    }
    case "app_home_opened": {
      await deps.slack.publishHome(classified.teamId, classified.userId, homeView());
      return;
    }
    case "reaction": {
      // A person's reaction to one of pup's messages moves its mood (engagement); pup's own
      // reactions (its mood indicator), removals and reactions to other messages do not.
      if (
        !classified.added ||
        classified.itemUserId !== identity.userId ||
        classified.userId === identity.userId
      ) {
        return;
      }
      // pup answered there, so the conversation is known; if not, there is no mood to move.
      const channel = await deps.directory.getChannel(classified.teamId, classified.channelId);
      if (!channel) return;
      await moodForReaction(deps, {
        channel,
        reaction: classified.reaction,
        itemTs: classified.ts,
        at: event.receivedAt.getTime(),
        eventId: event.eventId,
      });
      return;
    }
    case "ignored":
      deps.logger.debug({ eventId: event.eventId, reason: classified.reason }, "event ignored");
      return;
  }
}

/** Embeds text now; undefined (logged) when the embedder fails (an embedding job follows). */
async function embedNow(
  deps: EventsDeps,
  teamId: string,
  text: string,
): Promise<number[] | undefined> {
  try {
    const [vector] = await deps.embedder.embed([text]);
    return vector;
  } catch (error) {
    deps.logger.warn({ err: error, teamId }, "embedding a message to answer failed; queued");
    return undefined;
  }
}

/** Stores a message first seen through its edit or deletion, as far as that event tells it. */
async function storeOutOfOrder(
  deps: EventsDeps,
  event: StoredSlackEvent,
  ref: MessageRef,
  original: OutOfOrderMessage,
  text: string,
): Promise<void> {
  if (!(await deps.directory.getWorkspace(ref.teamId))) {
    await deps.directory.upsertWorkspace({ teamId: ref.teamId });
  }
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
