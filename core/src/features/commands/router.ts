/**
 * One router for `/pup …` and for interactivity (block actions, shortcuts, view submissions).
 * Answers go back through `response_url` when Slack gave one, else as an ephemeral message.
 * Each feature registers its subcommand here; unknown ones get the help text, never silence.
 */

import { parseSlackPayload } from "../../../../protocol/slack";
import { moodCommand, toneCommand } from "../personality";
import type { CommandsDeps } from "./deps";

/** A subcommand: `/pup <name> <args>`. Returns the (ephemeral) answer text. */
export interface PupCommand {
  name: string;
  usage: string;
  summary: string;
  run(deps: CommandsDeps, invocation: CommandInvocation): Promise<string>;
}

export interface CommandInvocation {
  teamId: string;
  userId: string;
  channelId: string;
  /** Everything after the subcommand's name. */
  args: string;
}

const help: PupCommand = {
  name: "help",
  usage: "/pup help",
  summary: "what pup can do",
  async run() {
    return helpText();
  },
};

/** Every subcommand pup knows, in the order help lists them. Later features add theirs. */
export const COMMANDS: PupCommand[] = [help, moodCommand, toneCommand];

export function helpText(commands: PupCommand[] = COMMANDS): string {
  return [
    "*pup* answers when you mention it or DM it, in a thread, remembering what the team said.",
    ...commands.map((command) => `• \`${command.usage}\`: ${command.summary}`),
  ].join("\n");
}

/** Handles a forwarded slash command (its form fields). */
export async function handleCommand(deps: CommandsDeps, payload: unknown): Promise<void> {
  const parsed = parseSlackPayload("command", payload);
  const form = parsed.ok ? parsed.payload.command : undefined;
  const teamId = form?.team_id;
  const userId = form?.user_id;
  const channelId = form?.channel_id;
  if (!teamId || !userId || !channelId) {
    deps.logger.warn({ command: form?.command }, "slash command without team, user or channel");
    return;
  }
  const [name = "help", ...rest] = (form.text ?? "").trim().split(/\s+/);
  const command = COMMANDS.find((candidate) => candidate.name === name.toLowerCase());
  const answer = command
    ? await command.run(deps, { teamId, userId, channelId, args: rest.join(" ") })
    : `I don't know \`${name}\` yet.\n${helpText()}`;
  await answerUser(deps, { teamId, userId, channelId, responseUrl: form.response_url }, answer);
}

/** Handles a forwarded interaction payload (block actions, shortcuts, views). */
export async function handleInteraction(deps: CommandsDeps, payload: unknown): Promise<void> {
  const parsed = parseSlackPayload("interaction", payload);
  const interaction = parsed.ok ? parsed.payload.interaction : undefined;
  const type = interaction?.type ?? "unknown";
  const actionIds = (interaction?.actions ?? []).map((action) => action.action_id);
  // No feature has registered actions yet; say so in the log rather than drop them silently.
  deps.logger.info({ type, actionIds }, "interaction received; no handler registered");
}

async function answerUser(
  deps: CommandsDeps,
  to: { teamId: string; userId: string; channelId: string; responseUrl: string | undefined },
  text: string,
): Promise<void> {
  if (to.responseUrl) {
    try {
      await deps.slack.respond(to.responseUrl, text);
      return;
    } catch (error) {
      deps.logger.warn({ err: error }, "response_url failed; answering ephemerally instead");
    }
  }
  await deps.slack.postEphemeral(to.teamId, to.channelId, to.userId, text);
}
