/**
 * When a reply cannot be finished: part of it may already be in Slack (keep it, never retry), a
 * failure before anything was posted is retried by the job, and a model that is down gets one
 * apology per conversation in pup's voice instead of silence or a retry storm.
 */
import { ModelUnavailableError } from "../../ports/language-model";
import { SlackCallError } from "../../ports/slack-errors";
import type { ReplyStream } from "../../ports/slack-gateway";
import { MODEL_DOWN_APOLOGY } from "./apology";
import type { ReplyDeps } from "./deps";
import type { ReplyRequest } from "./request";

export async function giveUp(
  deps: ReplyDeps,
  request: ReplyRequest,
  state: {
    sendKey: string;
    threadTs: string;
    stream: ReplyStream | undefined;
    error: unknown;
    partial: string;
  },
): Promise<void> {
  const { message } = request;
  const reason =
    state.error instanceof ModelUnavailableError
      ? state.error.reason
      : state.error instanceof Error && state.error.name === "AbortError"
        ? "timeout"
        : "error";
  const log = { teamId: message.teamId, channelId: message.channelId, ts: message.ts, reason };
  // Stop the reply first: a call in flight lands (or fails) before we decide what Slack shows.
  await quietly(deps, () => state.stream?.abort(reason) ?? Promise.resolve());
  if (state.stream?.mayHavePosted() || isAmbiguous(state.error)) {
    // Part of the answer may already be in Slack: keep what was said. The claim stays (neither
    // sent nor failed), so no retry can post the answer a second time.
    deps.logger.warn({ ...log, err: state.error }, "reply cut short; not retried");
    return;
  }
  if (!(state.error instanceof ModelUnavailableError) && reason === "error") {
    // Not the model, and known not to have posted (a storage or Slack failure before the
    // first message): release the key and let the job retry.
    await deps.botReplies.recordFailed(message.teamId, state.sendKey, String(state.error));
    throw state.error;
  }
  deps.logger.warn({ ...log, err: state.error }, "model unavailable");
  // One apology per conversation (the channel or DM), not per thread: an outage must not make
  // pup answer every mention with the same excuse.
  const conversation = `${message.teamId}:${message.channelId}`;
  const firstApology = await deps.cache.setIfAbsent(
    `apology:${conversation}`,
    "1",
    deps.reply.apologyWindowSeconds,
  );
  if (!firstApology) {
    await deps.botReplies.recordFailed(message.teamId, state.sendKey, `model ${reason}; quiet`);
    return;
  }
  const posted = await deps.slack.post(
    {
      teamId: message.teamId,
      channelId: message.channelId,
      threadTs: state.threadTs,
      recipientUserId: message.userId,
      sendKey: state.sendKey,
    },
    MODEL_DOWN_APOLOGY,
  );
  const [first] = posted;
  await deps.botReplies.recordSent(message.teamId, state.sendKey, {
    replyTs: first?.ts ?? "unknown",
    model: null,
    mood: "neutral",
  });
}

/** A Slack call whose request went out but whose answer never came back (it may have acted). */
function isAmbiguous(error: unknown): boolean {
  return error instanceof SlackCallError && error.ambiguous;
}

/** Polish (assistant status, titles) must never cost the answer itself. */
export async function quietly(deps: ReplyDeps, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    deps.logger.warn({ err: error }, "optional Slack call failed");
  }
}
