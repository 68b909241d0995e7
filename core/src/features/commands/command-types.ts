// What a `/pup` subcommand is: its name, how help lists it, and what it answers.
import type { SlackBlock } from "../../ports/slack-gateway";
import type { CommandsDeps } from "./deps";

/** An answer with Block Kit blocks; `text` is the fallback notifications show. */
export interface CommandAnswer {
  text: string;
  blocks?: SlackBlock[];
  /**
   * People whose App Home may list what the command just forgot: republished after the answer
   * (by the router, which may import the Home; a subcommand cannot without an import cycle).
   */
  refreshHomesOf?: (string | null)[];
}

export interface CommandInvocation {
  teamId: string;
  userId: string;
  channelId: string;
  /** Everything after the subcommand's name. */
  args: string;
}

/** A subcommand: `/pup <name> <args>`. Returns the (ephemeral) answer. */
export interface PupCommand {
  name: string;
  usage: string;
  summary: string;
  run(deps: CommandsDeps, invocation: CommandInvocation): Promise<string | CommandAnswer>;
}

/** An answer as text plus optional blocks, whichever form a subcommand returned. */
export function asAnswer(answer: string | CommandAnswer): CommandAnswer {
  return typeof answer === "string" ? { text: answer } : answer;
}
