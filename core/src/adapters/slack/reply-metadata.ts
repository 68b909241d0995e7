/**
 * The metadata every message of a pup reply carries: `pup_reply` with its send key. A retry
 * after a crash reads the thread (`conversations.replies`) and finds by it whether the answer
 * was posted, instead of posting blind (ADR-011, issue 14).
 */
import { REPLY_METADATA_EVENT_TYPE } from "../../ports/bot-reply-log";

/** `{metadata}` to spread into a write's arguments; nothing when the reply has no send key. */
export function replyMetadata(sendKey: string | null | undefined): {
  metadata?: { event_type: string; event_payload: { send_key: string } };
} {
  if (!sendKey) return {};
  return {
    metadata: { event_type: REPLY_METADATA_EVENT_TYPE, event_payload: { send_key: sendKey } },
  };
}
