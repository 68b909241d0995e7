/**
 * Every `/pup` subcommand, in the order help lists them. Each feature registers its own here;
 * manifest.json's usage hint and the README name exactly these (commands-list.test.ts).
 */
import { retentionCommand, roleCommand } from "../admin";
import { moodCommand, toneCommand } from "../personality";
import { summaryCommand } from "../summaries";
import type { PupCommand } from "./command-types";
import { forgetCommand } from "./forget-command";
import { rememberCommand } from "./remember";

const help: PupCommand = {
  name: "help",
  usage: "/pup help",
  summary: "what pup can do",
  async run() {
    return helpText();
  },
};

export const COMMANDS: PupCommand[] = [
  help,
  moodCommand,
  toneCommand,
  roleCommand,
  retentionCommand,
  rememberCommand,
  forgetCommand,
  summaryCommand,
];

export function helpText(commands: PupCommand[] = COMMANDS): string {
  return [
    "*pup* answers when you mention it or DM it, in a thread, remembering what the team said.",
    ...commands.map((command) => `• \`${command.usage}\`: ${command.summary}`),
    "My App Home (open pup in Slack's sidebar) shows what I remember about you.",
  ].join("\n");
}
