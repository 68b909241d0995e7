/**
 * The prompt for one reply: persona and mood, recalled memories (scoped to what this conversation
 * may see), the live conversation, facts about the author and the channel's latest summary.
 */

import type { ShortTermMessage } from "../../ports/short-term-memory";
import { withoutPupMention } from "../../shared/incoming-message";
import { placeName, recallAudience, recallMemories, speakerNames } from "../memory";
import { composeSystemPersona, REPEAT_HINT, type ReplyMood } from "../personality";
import { buildPrompt, type ConversationTurn } from "./build-prompt";
import type { ReplyDeps } from "./deps";
import type { ReplyRequest } from "./request";

export async function promptFor(
  deps: ReplyDeps,
  request: ReplyRequest,
  mood: ReplyMood,
  conversation: readonly ShortTermMessage[],
) {
  const { message, identity, channel } = request;
  const asked = withoutPupMention(message.text, identity.userId);
  const earlier = conversation
    .filter((m) => m.ts !== message.ts)
    .slice(-deps.reply.contextMessages);
  // A guest or someone from another organisation recalls only where they are a member (ADR-022).
  const { memberOf } = await recallAudience(deps, {
    teamId: message.teamId,
    userId: message.userId,
    ...(message.userTeamId ? { userTeamId: message.userTeamId } : {}),
  });
  const memories = await recallMemories(deps, {
    ...(memberOf ? { memberOf } : {}),
    teamId: message.teamId,
    channelId: message.channelId,
    query: asked,
    exclude: new Set([message.ts, ...earlier.map((m) => m.ts)]),
    botUserId: identity.userId,
    ...(request.queryVector ? { vector: request.queryVector } : {}),
  });
  const names = await speakerNames(deps, message.teamId, [
    message.userId,
    ...earlier.map((m) => m.userId ?? ""),
  ]);
  const turns: ConversationTurn[] = earlier.map((m) => ({
    speaker: m.userId ? (names.get(m.userId) ?? m.userId) : "someone",
    fromPup: m.userId === identity.userId,
    text: withoutPupMention(m.text, identity.userId),
  }));
  const [aboutAuthor, summary] = await Promise.all([
    deps.derived.factsAbout(
      message.teamId,
      message.userId,
      message.channelId,
      deps.reply.authorFacts,
      memberOf,
    ),
    deps.derived.latestSummary(message.teamId, message.channelId),
  ]);
  const composed = composeSystemPersona(deps.personality.persona, mood.mood, mood.rules);
  return buildPrompt({
    persona: composed.persona,
    mood: composed.mood,
    moodStyle: mood.earlierAnswer ? `${composed.moodStyle}\n${REPEAT_HINT}` : composed.moodStyle,
    memories,
    conversation: turns,
    aboutAuthor,
    ...(summary ? { summary } : {}),
    now: new Date(deps.now()),
    message: {
      speaker: names.get(message.userId) ?? message.userId,
      text: asked || "(just mentioned you)",
      place: placeName(channel),
    },
    budgets: { memoryTokens: deps.reply.memoryTokens },
    ...(deps.reply.canary ? { canary: deps.reply.canary } : {}),
  });
}
