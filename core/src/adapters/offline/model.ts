// The offline responder: answers from the memory lines in its prompt, in pup's voice.

import { type MemoryLine, parseMemoryLines, parseSpeakerTurn } from "../../features/memory";
import {
  analyzeSentiment,
  DEFAULT_MOOD_STYLES,
  isQuestion,
  MOODS,
  OPENERS_LINE_PREFIX,
} from "../../features/personality";
import { MEMORY_BLOCK_START, MOOD_LINE_PREFIX } from "../../features/reply";
import { isSummaryPrompt, offlineSummaryAnswer } from "../../features/summaries";
import type { ChatMessage, ChatRequest, LanguageModel } from "../../ports/language-model";
import type { Mood } from "../../ports/slack-vocabulary";
import { chatStreamFrom } from "../openai/chat-stream";
import { contentWords, roughTokenCount } from "./text-features";

/** Reported as the model that answered. */
export const OFFLINE_CHAT_MODEL = "pup-offline";

/** How many pieces an answer is streamed in (at most). */
const STREAM_PIECES = 4;

/** When nothing recalled matches the question. */
export const OFFLINE_NO_MEMORY_ANSWER =
  "Hmm, I don't remember anything about that, sorry! Tell me and I'll keep it in mind.";
/** When the last message has no words to look up (a greeting, an emoji). */
export const OFFLINE_GREETING_ANSWER =
  "Hi! I'm running in offline demo mode, so I can only tell you what I remember people saying.";

/**
 * A local {@link LanguageModel} for offline and demo mode (no OPENAI_API_KEY and no
 * OPENAI_BASE_URL). It reads the memory lines the prompt builder wrote
 * (`- Ana in #design, 3 Nov: "my cat is called Miso"`, see core/src/features/memory/memory-line.ts)
 * and the conversation's earlier turns (`Ana: my cat is called Miso`), picks the statement
 * sharing the most words with the last user message (questions never count as statements), and
 * answers "You told me on 3 Nov that my cat is called Miso." (or "Ana told me on 3 Nov in
 * #design that ..." when someone else said it; "You told me earlier that ..." for a turn of this
 * conversation; the asker is known when the user turn reads `Name: text`). With nothing
 * relevant it says so, briefly and kindly.
 *
 * The mood colours the answer, never its facts: outside neutral it opens with one of the mood's
 * openers (listed in the prompt by composeSystemPersona, else the defaults), the same one for the
 * same question, so "Ah, this again. You told me on 3 Nov that ...".
 *
 * Limits, plainly: it does not reason, follow instructions, hold a conversation, use the
 * summaries, or rephrase anything. It only echoes one statement verbatim (pronouns
 * included), chosen by word overlap, so it misses paraphrases ("feline" never matches "cat").
 * Usage is a rough token count (words and punctuation marks), not a tokenizer's.
 */
export function createOfflineModel(): LanguageModel {
  return {
    model: OFFLINE_CHAT_MODEL,
    stream: (request) =>
      chatStreamFrom(async function* () {
        request.signal?.throwIfAborted();
        const text = limitTokens(offlineAnswer(request.messages), request.maxTokens);
        for (const piece of splitIntoPieces(text, STREAM_PIECES)) {
          request.signal?.throwIfAborted();
          yield piece;
        }
        return {
          text,
          usage: {
            promptTokens: promptTokens(request.messages),
            completionTokens: roughTokenCount(text),
          },
          model: OFFLINE_CHAT_MODEL,
        };
      }),
  };
}

/** When the last message thanks pup and asks nothing. */
export const OFFLINE_THANKS_ANSWER = "You're welcome! Happy to help. :dog:";

/** The answer the offline model gives to `messages` (exported for tests and the demo). */
export function offlineAnswer(messages: ChatMessage[]): string {
  // A summary request (features/summaries) gets an extractive summary of its quoted messages.
  if (isSummaryPrompt(messages)) return offlineSummaryAnswer(messages);
  const lastUser = [...messages].reverse().find((message) => message.role === "user");
  const asked = lastUser ? parseSpeakerTurn(lastUser.content).text : "";
  // Thanks get a welcome, not a lookup (and no "good question!" opener).
  if (asked && analyzeSentiment(asked).thanks && !isQuestion(asked)) return OFFLINE_THANKS_ANSWER;
  const opener = pickOpener(promptMood(messages).openers, asked);
  const answer = plainAnswer(messages, lastUser);
  return opener ? `${opener} ${answer}` : answer;
}

/** The answer without any mood: a recalled statement, or why there is none. */
function plainAnswer(messages: ChatMessage[], lastUser: ChatMessage | undefined): string {
  if (!lastUser) return OFFLINE_GREETING_ANSWER;
  const turn = parseSpeakerTurn(lastUser.content);
  const question = new Set(contentWords(turn.text));
  if (question.size === 0) return OFFLINE_GREETING_ANSWER;
  const earlier = messages.filter((message) => message !== lastUser);
  // The live conversation (latest first) before recalled memories: what was just said in this
  // thread is in its turns, not among the memories (recall leaves out what the prompt has).
  const said: Recallable[] = [
    ...earlier
      .filter((message) => message.role === "user")
      .reverse()
      .map((message) => ({ kind: "turn" as const, ...parseSpeakerTurn(message.content) })),
    ...earlier
      .flatMap((message) => parseMemoryLines(message.content))
      .map((memory) => ({ kind: "memory" as const, ...memory })),
  ];
  const best = bestMatch(said, question);
  if (!best) return OFFLINE_NO_MEMORY_ANSWER;
  return recallSentence(best, turn.speaker);
}

/**
 * The mood the system prompt gives (its `Your mood right now: <mood>.` line; neutral when there
 * is none) and the openers listed for it between that line and the memories. Without an openers
 * line the mood's default openers apply; an unreadable one counts as none.
 */
export function promptMood(messages: ChatMessage[]): { mood: Mood; openers: readonly string[] } {
  for (const message of messages) {
    if (message.role !== "system") continue;
    const lines = message.content.split("\n");
    const at = lines.findIndex((text) => text.startsWith(MOOD_LINE_PREFIX));
    if (at < 0) continue;
    const word = /^([a-z]+)\./.exec(lines[at]?.slice(MOOD_LINE_PREFIX.length) ?? "")?.[1];
    const mood = MOODS.find((known) => known === word) ?? "neutral";
    // Only the mood's own lines: recalled memories below it are quoted data and never read here.
    const end = lines.indexOf(MEMORY_BLOCK_START, at);
    const styleText = lines.slice(at, end < 0 ? undefined : end).join("\n");
    const start = styleText.indexOf(OPENERS_LINE_PREFIX);
    if (start < 0) return { mood, openers: DEFAULT_MOOD_STYLES[mood].openers };
    const listed = styleText.slice(start + OPENERS_LINE_PREFIX.length).split("\n", 1)[0] ?? "";
    return { mood, openers: parseOpeners(listed) };
  }
  return { mood: "neutral", openers: [] };
}

function parseOpeners(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
  } catch {
    return [];
  }
}

/** One of `openers`, always the same for the same question (FNV-1a of its words). */
function pickOpener(openers: readonly string[], asked: string): string | undefined {
  if (openers.length === 0) return undefined;
  let hash = 0x811c9dc5;
  for (const char of asked.toLowerCase().replace(/\s+/g, " ").trim()) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return openers[hash % openers.length];
}

/** Something said that the answer may echo: a recalled memory or an earlier turn. */
type Recallable =
  | ({ kind: "memory" } & MemoryLine)
  | { kind: "turn"; speaker: string | null; text: string };

/**
 * The statement sharing the most words with the question; ties go to the one listed first.
 * Questions are skipped: someone asking "what is my cat called?" told pup nothing.
 */
function bestMatch(said: Recallable[], question: Set<string>): Recallable | undefined {
  let best: Recallable | undefined;
  let bestScore = 0;
  for (const candidate of said) {
    if (candidate.text.trim().endsWith("?")) continue;
    const score = new Set(contentWords(candidate.text).filter((word) => question.has(word))).size;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function recallSentence(said: Recallable, asker: string | null): string {
  const clause = asClause(said.text);
  const askerSaidIt = asker !== null && said.speaker !== null && sameName(asker, said.speaker);
  if (said.kind === "turn") {
    return askerSaidIt
      ? `You told me earlier that ${clause}`
      : `${said.speaker ?? "Someone"} said earlier that ${clause}`;
  }
  if (askerSaidIt) return `You told me on ${said.date} that ${clause}`;
  const place = said.channelName === null ? "in a DM" : `in #${said.channelName}`;
  return `${said.speaker} told me on ${said.date} ${place} that ${clause}`;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** `My cat is called Miso` -> `my cat is called Miso.`: reads on after "that"; keeps "I", "NASA". */
function asClause(text: string): string {
  // A leading mention (`<@U123> my cat is…`) addressed someone; it is not part of what was said.
  let clause = text.trim().replace(/^(<@[UW][A-Z0-9]+>[\s,:]*)+/, "");
  const firstWord = clause.split(/\s/, 1)[0] ?? "";
  if (firstWord !== "I" && !firstWord.startsWith("I'") && /^\p{Lu}\p{Ll}/u.test(firstWord)) {
    clause = clause.charAt(0).toLowerCase() + clause.slice(1);
  }
  return /[.!?…]$/u.test(clause) ? clause : `${clause}.`;
}

/** Splits `text` into at most `count` pieces on word boundaries; they concatenate back to it. */
export function splitIntoPieces(text: string, count: number): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  if (words.length === 0) return text === "" ? [] : [text];
  const size = Math.ceil(words.length / count);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(""));
  return pieces;
}

function limitTokens(text: string, maxTokens: ChatRequest["maxTokens"]): string {
  if (maxTokens === undefined || roughTokenCount(text) <= maxTokens) return text;
  let kept = "";
  for (const word of text.match(/\S+\s*/g) ?? []) {
    if (roughTokenCount(kept + word) > maxTokens) break;
    kept += word;
  }
  return kept.trimEnd();
}

/** Like OpenAI's accounting: each message costs its tokens plus 3, and the reply 3 more. */
function promptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + 3 + roughTokenCount(message.content), 3);
}
