// Decides what the fake "model" says. Scripted replies (a FIFO queue) come first, then a
// responder function if one is set, then a deterministic echo of the last user message, so a
// test can always see that the text it sent reached the model.

import type OpenAI from "openai";

/** The chat request body as the fake received it (validated: `model` and `messages` present). */
export type ChatRequest = OpenAI.Chat.ChatCompletionCreateParams;

/** Produces the assistant's reply text for a chat request. */
export type ChatResponder = (request: ChatRequest) => string | Promise<string>;

/** Plain text of a message's content: strings as-is, text parts joined, other parts ignored. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) =>
      part && typeof part === "object" && "text" in part && typeof part.text === "string"
        ? part.text
        : "",
    )
    .join("");
}

/** The default reply: `echo: <last user message>`. */
export function echoReply(request: ChatRequest): string {
  const lastUser = request.messages.findLast((message) => message.role === "user");
  return lastUser ? `echo: ${messageText(lastUser.content)}` : "echo: (no user message)";
}

/** Queue of scripted replies plus an optional responder function. */
export class ReplySource {
  readonly #queue: string[] = [];
  #responder: ChatResponder | undefined;

  constructor(readonly initialResponder: ChatResponder | undefined) {
    this.#responder = initialResponder;
  }

  enqueue(replies: string[]): void {
    this.#queue.push(...replies);
  }

  setResponder(responder: ChatResponder | undefined): void {
    this.#responder = responder;
  }

  /** Number of scripted replies not yet used. */
  queued(): number {
    return this.#queue.length;
  }

  async next(request: ChatRequest): Promise<string> {
    const scripted = this.#queue.shift();
    if (scripted !== undefined) return scripted;
    if (this.#responder) return await this.#responder(request);
    return echoReply(request);
  }

  reset(): void {
    this.#queue.length = 0;
    this.#responder = this.initialResponder;
  }
}
