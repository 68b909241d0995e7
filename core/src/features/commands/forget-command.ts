/**
 * `/pup forget me` and `/pup forget <message link>` (ADR-034). "Forget me" is never done on the
 * command alone: the answer says what will go and carries a danger button (`forget_me_confirm`)
 * and a cancel button; the press does it (interactions.ts). A link forgets one message, for its
 * author or an admin (features/forget decides and audit-logs a refusal). Answers give counts,
 * never content.
 */
import { randomUUID } from "node:crypto";
import { type ForgetReport, forgetMessage } from "../forget";
import { actions, button, section } from "./blocks";
import type { CommandAnswer, CommandInvocation, PupCommand } from "./command-types";
import type { CommandsDeps } from "./deps";
import { parseMessageLink } from "./message-link";
import { ACTION } from "./remembered-blocks";

const WARNING =
  "*Forget everything about you?*\nI will forget every message you wrote in this workspace " +
  "(channels and DMs) and everything I drew from them: your profile, the summaries that used " +
  "your words (rewritten without them), my mood history with you, and every copy in caches and " +
  "queues. Only the fact that you asked stays, in the audit log. This cannot be undone.";

export const FORGET_USAGE = [
  "• `/pup forget me`: forget everything you said (you confirm first)",
  "• `/pup forget` followed by a message's link (from its menu: Copy link): forget that one " +
    "message (yours, or any message if you are an admin)",
].join("\n");

/** The confirmation `/pup forget me` answers with; `nonce` makes one press count once. */
export function forgetMeConfirmation(nonce: string): CommandAnswer {
  return {
    text: "Forget everything about you? Press the button to confirm; this cannot be undone.",
    blocks: [
      section(WARNING),
      actions([
        button({
          text: "Forget everything",
          actionId: ACTION.forgetMeConfirm,
          value: nonce,
          style: "danger",
        }),
        button({ text: "Cancel", actionId: ACTION.forgetMeCancel, value: nonce }),
      ]),
    ],
  };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** Rows the purge removed other than messages: facts, summaries, mood links, payloads... */
function derivedRows(report: ForgetReport): number {
  return Object.entries(report.rows)
    .filter(([table]) => table !== "messages")
    .reduce((sum, [, n]) => sum + n, 0);
}

/** What "forget me" did, in counts only. */
export function forgotYouText(report: ForgetReport): string {
  const messages = report.rows.messages ?? 0;
  const summaries = report.summariesRewritten;
  const rewritten =
    summaries > 0
      ? ` ${plural(summaries, "summary")} that used your words ${summaries === 1 ? "is" : "are"} ` +
        "being rewritten without them."
      : "";
  // `messages` counts pup's stored replies to them too: they went with what they answered.
  return (
    `Done: I forgot ${plural(messages, "message")} (yours, and my replies to them) and ` +
    `${plural(derivedRows(report), "record")} drawn from them.${rewritten} If you talk to me ` +
    "again, I start afresh."
  );
}

/** What forgetting one message did (or why not), in counts only. */
export async function forgetLinkedMessage(
  deps: CommandsDeps,
  invocation: { teamId: string; userId: string },
  message: { channelId: string; ts: string },
): Promise<string | CommandAnswer> {
  const outcome = await forgetMessage(
    deps,
    { teamId: invocation.teamId, channelId: message.channelId, ts: message.ts },
    invocation.userId,
  );
  switch (outcome.status) {
    case "forgotten":
      return {
        text:
          `Forgotten: that message and ${plural(derivedRows(outcome.report), "record")} drawn ` +
          "only from it.",
        refreshHomesOf: [outcome.author],
      };
    case "not_found":
      return "I have no message stored at that link (it may be forgotten already).";
    case "not_allowed":
      return "Only its author or an admin can make me forget that message. I noted the attempt.";
  }
}

export const forgetCommand: PupCommand = {
  name: "forget",
  usage: "/pup forget me",
  summary:
    "forget everything you said (you confirm first); `/pup forget` with a message's link " +
    "forgets that one",
  async run(deps: CommandsDeps, invocation: CommandInvocation) {
    const args = invocation.args.trim();
    if (/^me$/i.test(args)) return forgetMeConfirmation(randomUUID());
    const message = parseMessageLink(args);
    if (message) return forgetLinkedMessage(deps, invocation, message);
    return `Which? Say it like this:\n${FORGET_USAGE}`;
  },
};
