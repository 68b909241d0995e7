// The send key of pup's answer to one message, shared by replies and the repeat check.

/** The send key of the answer to one message (both deliveries of a mention share it). */
export function replySendKey(channelId: string, ts: string): string {
  return `reply:${channelId}:${ts}`;
}
