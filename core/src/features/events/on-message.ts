/**
 * A person's message: make sure the directory knows its conversation and author, store it (and
 * remember it short-term), decide whether pup answers, and embed it: at once when pup answers
 * (the vector asks recall and is stored while the reply is written), by a job otherwise.
 */
import type { StoredSlackEvent } from "../../ports/event-log";
import type { BotIdentity } from "../../ports/slack-gateway";
import { withoutPupMention } from "../../shared/incoming-message";
import { ensureChannel, ensureUser, ensureWorkspace } from "../directory";
import { forgetDeletedMessage } from "../forget";
import { admitReply, withTokenMeter } from "../limits";
import { enqueueEmbedding, rememberShortTerm } from "../memory";
import { enqueueProfileUpdate } from "../profiles";
import { replyTo } from "../reply";
import { catchMeUp, isCatchMeUp } from "../summaries";
import { type ClassifiedEvent, decideReply } from "./classify";
import type { EventsDeps } from "./deps";
import { assistantKey } from "./surfaces";

export async function onMessage(
  deps: EventsDeps,
  event: StoredSlackEvent,
  identity: BotIdentity,
  classified: Extract<ClassifiedEvent, { kind: "message" }>,
): Promise<void> {
  const { message } = classified;
  await ensureWorkspace(deps, message.teamId);
  const channel = await ensureChannel(deps, message.teamId, message.channelId, message.visibility);
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
  // Deleted before it arrived (an out-of-order deletion, or a retry after it): nothing is
  // remembered, and the payload just logged, which holds the text, is redacted (ADR-034).
  if (stored.deletedAt !== null) {
    // Id 0: not stored because its author was forgotten after writing it; the payload was
    // logged just before that, and the sweep that follows every forget redacts it.
    if (stored.id === 0) return;
    const { teamId, channelId, ts } = message;
    await forgetDeletedMessage(deps, { teamId, channelId, ts });
    return;
  }
  // Short-term memory follows the message store; it never fails the job (a cache).
  await rememberShortTerm(deps, message.teamId, message.channelId, [stored]);
  const embeddable = stored.deletedAt === null && stored.text.trim() !== "";
  // The author's profile learns from it: one job per person per window (ADR-029).
  if (embeddable) await enqueueProfileUpdate(deps, message.teamId, message.userId);
  // The stored text: an edit that came before the message wins over the message's own text.
  const withVisibility = { ...message, text: stored.text, visibility: channel.visibility };
  const assistantThread =
    message.threadTs !== null &&
    (await deps.cache.get(assistantKey(message.teamId, message.channelId, message.threadTs))) !==
      undefined;
  const pupInThread =
    message.threadTs !== null &&
    (await deps.botReplies.repliedInThread(message.teamId, message.channelId, message.threadTs));
  const decision = decideReply(withVisibility, { pupInThread, assistantThread });
  // Over a limit (ADR-025) the message is remembered all the same; only the reply is skipped.
  const place = { teamId: message.teamId, userId: message.userId, channelId: message.channelId };
  if (!decision.reply || !(await admitReply(deps, place))) {
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
    // The assistant's "Catch me up" prompt is answered by the summary path (ADR-028).
    if (assistantThread && message.threadTs !== null && isCatchMeUp(stored.text)) {
      await catchMeUp(deps, {
        teamId: message.teamId,
        userId: message.userId,
        channelId: message.channelId,
        ts: message.ts,
        threadTs: message.threadTs,
        eventId: event.eventId,
        ...(message.userTeamId ? { userTeamId: message.userTeamId } : {}),
      });
      return;
    }
    await replyTo(withTokenMeter(deps, place), {
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
