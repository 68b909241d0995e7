/**
 * What the workspace reports when something changes, and the records behind ephemeral messages
 * and assistant threads. A demo page can render straight from these events.
 */
import type { SlackMessage } from "./message-store";

/** An ephemeral message: visible to one user only, never part of channel history. */
export interface EphemeralMessage {
  channel: string;
  user: string;
  message: SlackMessage;
}

/** What `assistant.threads.*` has set on one assistant thread. */
export interface AssistantThreadState {
  channel_id: string;
  thread_ts: string;
  status?: string;
  loading_messages?: string[];
  title?: string;
  prompts?: unknown[];
  prompts_title?: string;
}

/** Something that changed in the workspace. */
export type WorkspaceEvent =
  | { type: "message_posted"; channel: string; message: SlackMessage }
  | { type: "message_changed"; channel: string; message: SlackMessage }
  | {
      type: "reaction_added" | "reaction_removed";
      channel: string;
      ts: string;
      name: string;
      user: string;
    }
  | { type: "ephemeral_posted"; ephemeral: EphemeralMessage }
  /** A `replace_original` answer: same channel, user and `ts`, new content. */
  | { type: "ephemeral_replaced"; ephemeral: EphemeralMessage }
  | { type: "view_published"; user: string; view: Record<string, unknown> }
  | { type: "assistant_thread_changed"; thread: AssistantThreadState };
