// What a reply is asked for: the message, where it was said, who pup is, and why pup answers.
import type { DirectoryChannel } from "../../ports/directory";
import type { BotIdentity } from "../../ports/slack-gateway";
import type { IncomingMessage } from "../../shared/incoming-message";

/** Why pup answers a message (CONTRACT.md "When pup answers"). */
export type ReplyReason = "mention" | "direct_message" | "thread_with_pup" | "assistant_thread";

export interface ReplyRequest {
  message: IncomingMessage;
  channel: DirectoryChannel;
  identity: BotIdentity;
  reason: ReplyReason;
  assistantThread: boolean;
  eventId: string;
  /** The message's own embedding, when the caller already has it (asks recall). */
  queryVector?: number[];
  /** A reply in a thread pup already answered in (engagement, for the mood). */
  inPupThread?: boolean;
}
