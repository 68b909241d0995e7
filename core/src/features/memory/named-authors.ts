/**
 * Who a recall query is about: the authors of recall's candidates whom the query names, by a
 * Slack mention (`<@U123>`) or by one of their names as a whole word ("what did Alice say about
 * the launch?", "Alice's cat"). Ranking gives their own messages more weight (rank.ts,
 * `namedAuthor`): a name is held by so many of its team's messages that BM25 barely counts it.
 */
import type { DirectoryUser } from "../../ports/directory";
import type { RecallDeps } from "./deps";

/** Names shorter than this never match as words ("Al" would match too much of English). */
const MIN_NAME_LENGTH = 3;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The words a person may be named by: each of their names whole, and their first names. */
export function namesOf(user: Pick<DirectoryUser, "name" | "displayName" | "realName">): string[] {
  const names = new Set<string>();
  for (const name of [user.displayName, user.realName, user.name]) {
    const whole = name?.trim().toLowerCase() ?? "";
    if (whole.length < MIN_NAME_LENGTH) continue;
    names.add(whole);
    const first = whole.split(/[\s._-]+/)[0] ?? "";
    if (first.length >= MIN_NAME_LENGTH) names.add(first);
  }
  return [...names];
}

/** Whether `query` names `user`: a mention of their id, or one of their names as a word. */
export function queryNames(
  query: string,
  user: Pick<DirectoryUser, "userId" | "name" | "displayName" | "realName">,
): boolean {
  if (query.includes(`<@${user.userId}>`) || query.includes(`<@${user.userId}|`)) return true;
  const lower = query.toLowerCase();
  // Letters and digits around the name must not continue it ("Alice's" names Alice, "Alicent"
  // does not).
  return namesOf(user).some((name) =>
    new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "u").test(lower),
  );
}

/**
 * The ids among `userIds` (recall's candidate authors) that `query` names. Directory reads are
 * cached; people the directory does not know, bots and forgotten people are never named.
 */
export async function namedAuthors(
  deps: Pick<RecallDeps, "directory">,
  teamId: string,
  query: string,
  userIds: Iterable<string | null>,
): Promise<Set<string>> {
  const ids = [...new Set([...userIds].filter((id): id is string => !!id))];
  const users = await Promise.all(ids.map((userId) => deps.directory.getUser(teamId, userId)));
  const named = new Set<string>();
  for (const user of users) {
    if (user && !user.isBot && !user.forgottenAt && queryNames(query, user)) named.add(user.userId);
  }
  return named;
}
