/**
 * Publishes someone's App Home (`views.publish`): opened (`app_home_opened`), paged, or after
 * one of its buttons. Built only from the viewer's own data (features/commands/remembered.ts),
 * and never for a workspace that uninstalled pup: it shows nothing there any more (ADR-034).
 */
import { randomUUID } from "node:crypto";
import { isInstalled } from "../forget";
import type { HomeDeps } from "./deps";
import { homeView } from "./home-view";
import { COMMANDS } from "./registry";
import { factsOf, memoriesOf, moodChangesOf, pageNumber, pageOf } from "./remembered";

export interface HomeOptions {
  /** 0 (default) is the first page. */
  page?: number;
  /** What a button just did, shown at the top. */
  notice?: string;
}

/** Remembers that someone has a published Home, so a forget elsewhere can refresh it. */
const SHOWN_TTL_S = 30 * 24 * 60 * 60;
const shownKey = (teamId: string, userId: string) => `home-shown:${teamId}:${userId}`;

/** Publishes `userId`'s App Home; false (nothing published) when the workspace is uninstalled. */
export async function publishAppHome(
  deps: HomeDeps,
  teamId: string,
  userId: string,
  options: HomeOptions = {},
): Promise<boolean> {
  if (!(await isInstalled(deps, teamId))) {
    deps.logger.info({ teamId }, "App Home not published: the workspace uninstalled pup");
    return false;
  }
  const page = pageNumber(options.page ?? 0);
  const [facts, memories, moodChanges] = await Promise.all([
    factsOf(deps, teamId, userId),
    memoriesOf(deps, teamId, userId, page),
    moodChangesOf(deps, teamId, userId, page),
  ]);
  const view = homeView({
    page,
    facts: pageOf(facts, page),
    memories,
    moodChanges,
    commands: COMMANDS.map(({ usage, summary }) => ({ usage, summary })),
    forgetMeValue: randomUUID(),
    ...(options.notice ? { notice: options.notice } : {}),
  });
  await deps.slack.publishHome(teamId, userId, { ...view });
  await deps.cache.set(shownKey(teamId, userId), "1", SHOWN_TTL_S);
  return true;
}

/**
 * After a forget (a button in a message, `/pup forget`, a deletion in Slack), the Home Slack
 * still shows may list what went: it is published again for each person who has one, so what
 * was forgotten does not stay on screen until they next open it (ADR-034). Failures are logged:
 * the forget itself is done.
 */
export async function refreshHomes(
  deps: HomeDeps,
  teamId: string,
  userIds: readonly (string | null | undefined)[],
): Promise<void> {
  for (const userId of new Set(userIds)) {
    if (!userId) continue;
    try {
      if ((await deps.cache.get(shownKey(teamId, userId))) === undefined) continue;
      await publishAppHome(deps, teamId, userId);
    } catch (error) {
      deps.logger.warn({ err: error, teamId }, "App Home not refreshed after a forget");
    }
  }
}
