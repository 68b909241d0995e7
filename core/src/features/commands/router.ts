/**
 * One router for `/pup …` and for interactivity (block actions, shortcuts, view submissions).
 * Answers go back through `response_url` when Slack gave one, else as an ephemeral message, and
 * each invocation is answered once (answer-once.ts). Each feature registers its subcommand in
 * registry.ts; unknown ones get the help text, never silence. Admin commands check the caller's
 * role live and audit-log every attempt (features/admin). Buttons go to interactions.ts.
 */

import { parseSlackPayload } from "../../../../protocol/slack";
import { claimAnswer, commandSendKey, sendAnswer } from "./answer-once";
import type { CommandAnswer } from "./command-types";
import type { CommandsDeps } from "./deps";
import { refreshHomes } from "./home";
import { handleBlockActions, isBlockActions } from "./interactions";
import { COMMANDS, helpText } from "./registry";

/**
 * Handles a forwarded slash command (its form fields). `eventId` is the delivery's id in the
 * event log; it keys the answer only when Slack sent no `trigger_id`.
 */
export async function handleCommand(
  deps: CommandsDeps,
  payload: unknown,
  eventId?: string,
): Promise<void> {
  const parsed = parseSlackPayload("command", payload);
  const form = parsed.ok ? parsed.payload.command : undefined;
  const teamId = form?.team_id;
  const userId = form?.user_id;
  const channelId = form?.channel_id;
  if (!teamId || !userId || !channelId) {
    deps.logger.warn({ command: form?.command }, "slash command without team, user or channel");
    return;
  }
  const text = form.text ?? "";
  const target = {
    teamId,
    userId,
    channelId,
    responseUrl: form.response_url,
    sendKey: commandSendKey({
      teamId,
      userId,
      channelId,
      command: form.command ?? "/pup",
      text,
      triggerId: form.trigger_id,
      eventId,
    }),
  };
  // Claimed before the subcommand runs: a duplicate delivery neither answers nor acts twice.
  if (!(await claimAnswer(deps, target, eventId))) {
    deps.logger.info({ teamId, channelId, sendKey: target.sendKey }, "command already answered");
    return;
  }
  const [name = "help", ...rest] = text.trim().split(/\s+/);
  const command = COMMANDS.find((candidate) => candidate.name === name.toLowerCase());
  let answer: string | CommandAnswer;
  try {
    answer = command
      ? await command.run(deps, { teamId, userId, channelId, args: rest.join(" ") })
      : `I don't know \`${name}\` yet.\n${helpText()}`;
  } catch (error) {
    // Nothing was sent: release the claim so the job's retry runs the command again.
    await deps.botReplies.recordFailed(teamId, target.sendKey, `command failed: ${String(error)}`);
    throw error;
  }
  await sendAnswer(deps, target, answer);
  if (typeof answer !== "string" && answer.refreshHomesOf) {
    await refreshHomes(deps, teamId, answer.refreshHomesOf);
  }
}

/** Handles a forwarded interaction payload (block actions, shortcuts, views). */
export async function handleInteraction(deps: CommandsDeps, payload: unknown): Promise<void> {
  const parsed = parseSlackPayload("interaction", payload);
  const interaction = parsed.ok ? parsed.payload.interaction : undefined;
  if (isBlockActions(interaction)) {
    await handleBlockActions(deps, interaction);
    return;
  }
  const type = interaction?.type ?? "unknown";
  const actionIds = (interaction?.actions ?? []).map((action) => action.action_id);
  // pup registers no shortcuts or views; say so in the log rather than drop them silently.
  deps.logger.info({ type, actionIds }, "interaction received; no handler registered");
}
