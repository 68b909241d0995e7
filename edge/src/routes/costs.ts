/**
 * Which deliveries count against the edge's rate limits: only those that cost pup something
 * (issue 14, ADR-025). A mention or a DM to pup gets a reply, a command or an interaction gets an
 * answer; everything else (ordinary channel and thread messages, edits, deletions, reactions,
 * channel and app lifecycle events) only keeps memory true and is never dropped by a limit.
 * Thread messages are left to core, which decides whether they get a reply and checks its own
 * exact limits before it answers.
 */
import type { InboundSlackRequest } from "../slack/inbound";

/** Message subtypes that are still a person writing to pup (a DM with a file is still a DM). */
const SPOKEN_SUBTYPES = new Set([undefined, "file_share"]);

/** The inner event's fields this decision reads; the edge checked only type/subtype/user. */
interface InnerEventFields {
  type?: unknown;
  subtype?: unknown;
  channel_type?: unknown;
}

/** Whether a delivery costs (a reply, a command, an interaction) and so counts against a limit. */
export function costsAReply(inbound: InboundSlackRequest): boolean {
  if (inbound.kind !== "event") return true;
  const event = (inbound.payload as { event?: InnerEventFields }).event;
  if (event?.type === "app_mention") return true;
  return (
    event?.type === "message" &&
    event.channel_type === "im" &&
    SPOKEN_SUBTYPES.has(event.subtype as string | undefined)
  );
}
