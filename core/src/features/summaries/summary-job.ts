/**
 * The `summary` queue. Three kinds of job share it:
 * - `sync` (hourly, one scheduler): makes sure every workspace has its daily `plan` scheduler at
 *   its local hour (workspace_settings.summary_hour and time_zone), so a new workspace or a
 *   changed hour takes effect within the hour;
 * - `plan` (daily per workspace, a BullMQ job scheduler): one `summarize` job per conversation
 *   where people said something in the last 24 hours, keyed by (team, channel, local day), so a
 *   plan run twice queues each summary once;
 * - `summarize`: writes and stores one conversation's summary of one period with its sources; a
 *   retry replaces what an earlier attempt stored. The same job regenerates a summary when one
 *   of its sources was deleted or its author forgotten.
 */
import * as v from "valibot";
import type { SummaryPeriod } from "../../ports/derived-memory";
import { localDay } from "../../shared/daily-schedule";
import { enqueueJob, type JobContract, jobIdOf, type QueueDefinition } from "../../shared/jobs";
import type { SummariesDeps } from "./deps";
import { DAY_MS, writeSummary } from "./summarize";

const id = v.pipe(v.string(), v.minLength(1));
const SummaryJobSchema = v.variant("kind", [
  v.object({ kind: v.literal("sync") }),
  v.object({ kind: v.literal("plan"), teamId: id }),
  v.object({
    kind: v.literal("summarize"),
    teamId: id,
    channelId: id,
    /** Unix ms; the period is [periodStart, periodEnd). */
    periodStart: v.number(),
    periodEnd: v.number(),
    /** What keys the job: the local day (daily), or the deleted sources (regeneration). */
    key: id,
  }),
]);
export type SummaryJob = v.InferOutput<typeof SummaryJobSchema>;

export const summaryJob: JobContract<SummaryJob> = {
  queue: "summary",
  schema: SummaryJobSchema,
  jobName: (data) => `summary-${data.kind}`,
  jobId: (data) => {
    if (data.kind === "sync") return jobIdOf("summary-sync");
    if (data.kind === "plan") return jobIdOf("summary-plan", data.teamId);
    return jobIdOf("summary", data.teamId, data.channelId, data.key);
  },
};

/** How often the workspaces' schedules are brought up to date. */
export const SYNC_EVERY_MS = 60 * 60 * 1000;
const schedulerOf = (teamId: string) => jobIdOf("summary-daily", teamId);

/** Starts the hourly sync (and runs its first pass now): call once per worker process. */
export async function startSummarySchedules(deps: SummariesDeps): Promise<void> {
  await deps.queue.schedule(
    "summary",
    "summary-sync",
    { everyMs: SYNC_EVERY_MS },
    { name: summaryJob.jobName({ kind: "sync" }), data: { kind: "sync" } },
  );
  await syncSchedules(deps);
}

/** Every workspace's daily plan at its local hour; returns each one's next run (Unix ms). */
export async function syncSchedules(deps: SummariesDeps): Promise<Map<string, number | undefined>> {
  const next = new Map<string, number | undefined>();
  for (const { teamId } of await deps.workspaceSettings.listRetention()) {
    next.set(teamId, await scheduleWorkspace(deps, teamId));
  }
  return next;
}

/** The workspace's daily plan scheduler, at its hour and zone; returns when it next runs. */
export async function scheduleWorkspace(
  deps: Pick<SummariesDeps, "queue" | "workspaceSettings">,
  teamId: string,
): Promise<number | undefined> {
  const { hour, timeZone } = await deps.workspaceSettings.getSummarySchedule(teamId);
  const data: SummaryJob = { kind: "plan", teamId };
  const { nextRunAt } = await deps.queue.schedule(
    "summary",
    schedulerOf(teamId),
    { daily: { hour, timeZone } },
    { name: summaryJob.jobName(data), data },
  );
  return nextRunAt;
}

/** Queues one summary per conversation active in the 24 hours before now. */
export async function planSummaries(deps: SummariesDeps, teamId: string): Promise<number> {
  const { timeZone } = await deps.workspaceSettings.getSummarySchedule(teamId);
  // To the next whole minute: a plan retried a moment later covers the same period.
  const periodEnd = Math.ceil(deps.now() / 60_000) * 60_000;
  const periodStart = periodEnd - DAY_MS;
  const active = await deps.derived.activeConversations(
    teamId,
    new Date(periodStart),
    new Date(periodEnd),
  );
  const key = localDay(periodEnd, timeZone);
  for (const channelId of active) {
    await enqueueJob(deps.queue, summaryJob, {
      kind: "summarize",
      teamId,
      channelId,
      periodStart,
      periodEnd,
      key,
    });
  }
  deps.logger.info({ teamId, conversations: active.length, day: key }, "daily summaries queued");
  return active.length;
}

/** Writes (or rewrites) one conversation's summary of one period, with its sources. */
export async function summarizePeriod(
  deps: SummariesDeps,
  period: Omit<SummaryPeriod, "threadTs">,
): Promise<number | undefined> {
  const { teamId, channelId, periodStart, periodEnd } = period;
  const written = await writeSummary(
    deps,
    { teamId, fromChannelId: channelId, onlyChannelId: channelId },
    periodStart,
    periodEnd,
    "over one day",
  );
  if (!written || written.text === "") {
    // Nothing left (every source deleted): no summary may keep their words.
    await deps.derived.removeSummary({ ...period, threadTs: null });
    return undefined;
  }
  return deps.derived.saveSummary({
    teamId,
    channelId,
    periodStart,
    periodEnd,
    summary: written.text,
    sourceUserIds: written.sourceUserIds,
    sourceMessageIds: written.sources.map((m) => m.id),
    model: written.model,
  });
}

/**
 * Queues a rewrite of every stored summary that drew on one of `messageIds` (deleted, or their
 * author forgotten): the rewrite reads the messages as they are now. Returns how many.
 */
export async function regenerateSummariesCiting(
  deps: Pick<SummariesDeps, "derived" | "queue">,
  teamId: string,
  messageIds: readonly number[],
): Promise<number> {
  const periods = await deps.derived.summariesCiting(teamId, messageIds);
  const key = `regen.${[...messageIds].sort((a, b) => a - b).join(".")}`;
  await rewriteSummaries(deps, teamId, periods, key);
  return periods.length;
}

/**
 * Queues a rewrite of each period's summary from the messages as they are now (after a
 * forget removed some, and the summaries that drew on them). `key` de-duplicates a repeat.
 */
export async function rewriteSummaries(
  deps: Pick<SummariesDeps, "queue">,
  teamId: string,
  periods: readonly SummaryPeriod[],
  key: string,
): Promise<void> {
  for (const period of periods) {
    await enqueueJob(deps.queue, summaryJob, {
      kind: "summarize",
      teamId,
      channelId: period.channelId,
      periodStart: period.periodStart.getTime(),
      periodEnd: period.periodEnd.getTime(),
      key: `${key}.${period.periodEnd.getTime()}`,
    });
  }
}

/** Runs one `summary` job. */
export async function runSummaryJob(deps: SummariesDeps, data: SummaryJob): Promise<void> {
  if (data.kind === "sync") {
    await syncSchedules(deps);
  } else if (data.kind === "plan") {
    await planSummaries(deps, data.teamId);
  } else {
    await summarizePeriod(deps, {
      teamId: data.teamId,
      channelId: data.channelId,
      periodStart: new Date(data.periodStart),
      periodEnd: new Date(data.periodEnd),
    });
  }
}

export const summaryQueue: QueueDefinition<SummariesDeps, SummaryJob> = {
  contract: summaryJob,
  // Each summary waits mostly on the model; a few at once keep a worker busy without a burst.
  concurrency: 4,
  processor: (deps) => (data) => runSummaryJob(deps, data),
};
