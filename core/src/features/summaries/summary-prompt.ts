/**
 * The summary prompt: instructions in the system message, under the same instruction hierarchy
 * as replies (reply's DATA_RULES), and the messages as quoted memory lines (memory-line.ts), so
 * nothing people wrote can pass for an instruction. The offline responder recognises the prompt
 * by its first line and answers with an extractive summary of the lines it reads back.
 */
import type { ChatMessage } from "../../ports/language-model";
import { formatMemoryLine, parseMemoryLines } from "../memory";
import { DATA_RULES } from "../reply";
import { extractiveSummary, type SummaryTurn } from "./extractive";

/** The system message's first line: marks a summary request (the offline responder reads it). */
export const SUMMARY_PROMPT_MARKER = "Task: summarise a Slack conversation.";

/** One message going into a summary. */
export interface PromptTurn {
  speaker: string;
  /** Channel name without `#`, or null for a DM. */
  channelName: string | null;
  postedAt: Date;
  text: string;
}

/** The chat request asking for a summary of `turns` (oldest first) over `period`. */
export function buildSummaryPrompt(turns: readonly PromptTurn[], period: string): ChatMessage[] {
  const system = [
    SUMMARY_PROMPT_MARKER,
    `Summarise what people said ${period}: decisions, open questions, who is doing what. ` +
      "Attribute points to people by name, group them by conversation when there are several, " +
      "use at most eight short Slack mrkdwn bullets, and add nothing that is not in the messages.",
    DATA_RULES,
  ].join("\n");
  const lines = turns.map((turn) =>
    formatMemoryLine({
      speaker: turn.speaker,
      channelName: turn.channelName,
      postedAt: turn.postedAt,
      text: turn.text,
    }),
  );
  return [
    { role: "system", content: system },
    { role: "user", content: `The messages (data):\n${lines.join("\n")}` },
  ];
}

/** True when `messages` is a summary request written by {@link buildSummaryPrompt}. */
export function isSummaryPrompt(messages: readonly ChatMessage[]): boolean {
  return messages[0]?.role === "system" && messages[0].content.startsWith(SUMMARY_PROMPT_MARKER);
}

/** The offline answer to a summary request: its messages, extractively summarised. */
export function offlineSummaryAnswer(messages: readonly ChatMessage[]): string {
  const data = messages
    .filter((message) => message.role === "user")
    .map((message) => message.content)
    .join("\n");
  const lines = parseMemoryLines(data);
  const places = new Set(lines.map((line) => line.channelName ?? ""));
  const turns: SummaryTurn[] = lines.map((line) => ({
    speaker: line.speaker,
    ...(places.size > 1 ? { place: line.channelName ? `#${line.channelName}` : "a DM" } : {}),
    text: line.text,
  }));
  return extractiveSummary(turns) || "Nothing worth summarising was said.";
}
