/**
 * Which queued or finished jobs hold what is being forgotten. Message jobs may carry the whole
 * Slack payload; a payload belongs to a user when any `user`, `user_id` or `userId` in it names
 * them (the author of a message, of an edit's `message`, of a deletion's `previous_message`, of
 * a command, of an interaction's `user.id`). Only such jobs go: another person's queued message
 * is never removed, even if it mentions the forgotten user.
 */

/** Keys whose value (or whose `id`) names the person a payload or job belongs to. */
const USER_KEYS = new Set(["user", "user_id", "userId"]);

function names(value: unknown, userId: string): boolean {
  if (value === userId) return true;
  return typeof value === "object" && value !== null && (value as { id?: unknown }).id === userId;
}

/** True when anything in `value` (walked recursively, depth-bounded) is authored by `userId`. */
export function authoredBy(value: unknown, userId: string, depth = 0): boolean {
  if (depth > 12 || typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => authoredBy(item, userId, depth + 1));
  for (const [key, inner] of Object.entries(value)) {
    if (USER_KEYS.has(key) && names(inner, userId)) return true;
    if (authoredBy(inner, userId, depth + 1)) return true;
  }
  return false;
}

function teamOf(data: unknown): string | undefined {
  const team = (data as { teamId?: unknown } | null)?.teamId;
  return typeof team === "string" ? team : undefined;
}

/** A job of `teamId` whose data belongs to `userId`. */
export function jobOfUser(data: unknown, teamId: string, userId: string): boolean {
  return teamOf(data) === teamId && authoredBy(data, userId);
}

/** True when `value` holds a Slack message object (or event) with this channel and ts. */
function holdsMessage(value: unknown, channelId: string, ts: string, depth = 0): boolean {
  if (depth > 12 || typeof value !== "object" || value === null) return false;
  if (Array.isArray(value))
    return value.some((item) => holdsMessage(item, channelId, ts, depth + 1));
  const record = value as Record<string, unknown>;
  if (record.ts === ts || record.deleted_ts === ts) {
    if (record.channel === undefined || record.channel === channelId) return true;
  }
  return Object.values(record).some((inner) => holdsMessage(inner, channelId, ts, depth + 1));
}

/** A job of `teamId` whose data carries the message `channelId`/`ts` (posted, edited, deleted). */
export function jobOfMessage(
  data: unknown,
  teamId: string,
  channelId: string,
  ts: string,
): boolean {
  return teamOf(data) === teamId && holdsMessage(data, channelId, ts);
}

/** A job of the workspace. */
export function jobOfTeam(data: unknown, teamId: string): boolean {
  return teamOf(data) === teamId;
}
