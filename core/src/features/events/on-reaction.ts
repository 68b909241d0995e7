// A reaction to one of pup's messages: engagement, which moves the conversation's mood.
import type { StoredSlackEvent } from "../../ports/event-log";
import type { BotIdentity } from "../../ports/slack-gateway";
import { moodForReaction } from "../personality";
import type { ClassifiedEvent } from "./classify";
import type { EventsDeps } from "./deps";

export async function onReaction(
  deps: EventsDeps,
  event: StoredSlackEvent,
  identity: BotIdentity,
  classified: Extract<ClassifiedEvent, { kind: "reaction" }>,
): Promise<void> {
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
}
