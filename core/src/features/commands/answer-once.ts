/**
 * A command's answer, once. Slack may deliver a command twice and a job may be retried, so the
 * answer is keyed by the invocation (its `trigger_id`) and claimed in the bot reply log before
 * anything is sent, as replies are. A `response_url` POST that timed out or lost its answer may
 * have been shown: it counts as the answer, never followed by an ephemeral copy or a retry.
 */
import { createHash } from "node:crypto";
import { SlackCallError } from "../../ports/slack-errors";
import { asAnswer, type CommandAnswer } from "./command-types";
import type { CommandsDeps } from "./deps";

/** Where a command's answer goes, and the key it is claimed under. */
export interface AnswerTarget {
  teamId: string;
  userId: string;
  channelId: string;
  responseUrl: string | undefined;
  sendKey: string;
}

/** The invocation's fields the send key is made of. */
export interface CommandIdentity {
  teamId: string;
  userId: string;
  channelId: string;
  command: string;
  text: string;
  triggerId: string | undefined;
  /** The delivery's id (the edge derives it from team and trigger id). */
  eventId: string | undefined;
}

/**
 * `command:<trigger_id>` (unique per invocation); without one, a digest of where, who, what and
 * the delivery's id, hashed so the key never repeats what was typed.
 */
export function commandSendKey(command: CommandIdentity): string {
  if (command.triggerId) return `command:${command.triggerId}`;
  const parts = [command.teamId, command.channelId, command.userId, command.command, command.text];
  const digest = createHash("sha256")
    .update([...parts, command.eventId ?? ""].join("\n"))
    .digest("hex")
    .slice(0, 32);
  return `command:${digest}`;
}

/**
 * `action:<digest>` for a button press: who pressed which button with which value. A double
 * click or a redelivery finds the claim; the digest keeps the user's id out of the key (a
 * forgotten person leaves no trace in `bot_replies`).
 */
export function actionSendKey(action: {
  teamId: string;
  userId: string;
  actionId: string;
  value: string;
}): string {
  const digest = createHash("sha256")
    .update([action.teamId, action.userId, action.actionId, action.value].join("\n"))
    .digest("hex")
    .slice(0, 32);
  return `action:${digest}`;
}

/** True when the caller holds the answer and must send it (or release it); false: answered. */
export async function claimAnswer(
  deps: Pick<CommandsDeps, "botReplies">,
  target: AnswerTarget,
  eventId: string | undefined,
): Promise<boolean> {
  return deps.botReplies.claim({
    teamId: target.teamId,
    sendKey: target.sendKey,
    channelId: target.channelId,
    threadTs: null,
    triggerEventId: eventId ?? null,
  });
}

export const mayHaveShown = (error: unknown) => error instanceof SlackCallError && error.ambiguous;

/**
 * Sends the claimed answer: through `response_url` when Slack gave an acceptable one, else (or
 * when it certainly failed) as `chat.postEphemeral`. Records the outcome on the claim; a failure
 * known to have shown nothing releases the claim and rethrows, so the job's retry answers.
 */
export async function sendAnswer(
  deps: Pick<CommandsDeps, "slack" | "botReplies" | "logger">,
  target: AnswerTarget,
  answer: string | CommandAnswer,
  options: { replaceOriginal?: boolean } = {},
): Promise<void> {
  const { text, blocks } = asAnswer(answer);
  const log = { teamId: target.teamId, channelId: target.channelId, sendKey: target.sendKey };
  if (target.responseUrl) {
    try {
      await deps.slack.respond(target.responseUrl, text, {
        ...(blocks ? { blocks } : {}),
        ...(options.replaceOriginal ? { replaceOriginal: true } : {}),
      });
      await deps.botReplies.recordSent(target.teamId, target.sendKey, { replyTs: "response_url" });
      return;
    } catch (error) {
      if (mayHaveShown(error)) {
        // Slack may be showing it: a second answer would be the duplicate we exist to prevent.
        deps.logger.warn(
          { ...log, err: error },
          "response_url outcome unknown; not answering again",
        );
        await deps.botReplies.recordSent(target.teamId, target.sendKey, {
          replyTs: "response_url:unconfirmed",
        });
        return;
      }
      deps.logger.warn(
        { ...log, err: error },
        "response_url failed; answering ephemerally instead",
      );
    }
  }
  try {
    await deps.slack.postEphemeral(target.teamId, target.channelId, target.userId, text, blocks);
  } catch (error) {
    if (mayHaveShown(error)) {
      deps.logger.warn({ ...log, err: error }, "ephemeral answer outcome unknown; not retried");
      await deps.botReplies.recordSent(target.teamId, target.sendKey, {
        replyTs: "ephemeral:unconfirmed",
      });
      return;
    }
    await deps.botReplies.recordFailed(target.teamId, target.sendKey, String(error));
    throw error;
  }
  await deps.botReplies.recordSent(target.teamId, target.sendKey, { replyTs: "ephemeral" });
}
