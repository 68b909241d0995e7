/**
 * The `message` queue: one job per accepted Slack payload. Acceptance (route.ts) produces it; a
 * worker consumes it by loading the payload (inlined in the job, or from the event log) and
 * handing it to the listener registered for its kind (events, commands, interactions), the way
 * bolt's receiver hands one event to its dispatcher. Handlers are idempotent (messages by
 * (channel, ts), replies by send key), so a retried job or a duplicate delivery does no harm.
 * Commands and interactions pass the exact limits first (ADR-025); one over a limit is answered
 * with a private "slow down" instead. Events are checked where a reply is decided (events).
 */
import * as v from "valibot";
import type { EventLog, StoredSlackEvent } from "../../ports/event-log";
import type { Logger } from "../../ports/logger";
import { type JobContract, jobIdOf, type QueueDefinition } from "../../shared/jobs";
import { admitCommand, type LimitsDeps, SLOW_DOWN_TEXT } from "../limits";

/**
 * What a `message` job carries: enough to load the payload from the event log, and, for a
 * small payload that acceptance stored itself, the stored event, so the job need not read it.
 */
export interface MessageJobData {
  teamId: string;
  eventId: string;
  kind?: StoredSlackEvent["kind"];
  event?: StoredSlackEvent;
}

/** Payloads bigger than this stay out of the job (Redis) and are read from the event log. */
export const INLINE_PAYLOAD_MAX_BYTES = 16 * 1024;

const id = v.pipe(v.string(), v.minLength(1));
const kind = v.picklist(["event", "interaction", "command"]);
const storedEvent = v.object({
  id: v.number(),
  teamId: id,
  eventId: id,
  kind,
  eventType: v.string(),
  userId: v.nullish(v.string()),
  channelId: v.nullish(v.string()),
  payload: v.unknown(),
  retryNum: v.nullish(v.number()),
  retryReason: v.nullish(v.string()),
  // A Date on the way in, an ISO string once it has crossed Redis as JSON.
  receivedAt: v.pipe(
    v.union([v.date(), v.pipe(v.string(), v.isoTimestamp())]),
    v.transform((value) => new Date(value)),
  ),
});

/** Attempts of a `message` job: their backoff must outlast the reply claim lease. */
export const MESSAGE_JOB_ATTEMPTS = 10;

/**
 * Where the `message` queue differs from the design's defaults (ADR-011 amendment, ADR-027).
 * 10 attempts with doubling backoff from 1 s span about 8.5 minutes: more than a reply claim's
 * lease (3 minutes by default), so a job that finds a claim held by a crashed one retries until
 * recovery may take it over (features/reply/claim-recovery.ts). Completed jobs are kept a day,
 * not by count: their ids are what answers a Slack redelivery "already queued".
 */
export const MESSAGE_QUEUE_OPTIONS = {
  attempts: MESSAGE_JOB_ATTEMPTS,
  backoffDelayMs: 1_000,
  keepCompleted: { ageSeconds: 24 * 60 * 60 },
} as const;

/** The `message` queue's job id for one payload. */
export function messageJobId(teamId: string, eventId: string): string {
  return jobIdOf("slack", teamId, eventId);
}

export const messageJob: JobContract<MessageJobData> = {
  queue: "message",
  schema: v.object({
    teamId: id,
    eventId: id,
    kind: v.optional(kind),
    // An inlined event that cannot be read is only a missed shortcut: the event log has it.
    event: v.fallback(v.optional(storedEvent), undefined),
  }),
  jobName: (data) => data.kind ?? data.event?.kind ?? "slack",
  jobId: (data) => messageJobId(data.teamId, data.eventId),
  options: MESSAGE_QUEUE_OPTIONS,
};

/** Where each kind of Slack payload goes; the process starter wires the features in. */
export interface SlackListeners {
  /**
   * Whether the payload is handled at all. False (a workspace that uninstalled pup, ADR-034):
   * it stays acknowledged and in the event log, but nothing is stored, answered or said.
   */
  admits(event: StoredSlackEvent): Promise<boolean>;
  event(event: StoredSlackEvent): Promise<void>;
  command(event: StoredSlackEvent): Promise<void>;
  interaction(event: StoredSlackEvent): Promise<void>;
}

export type MessageJobDeps = LimitsDeps & {
  eventLog: EventLog;
  logger: Logger;
  now: () => number;
  slackListeners: SlackListeners;
};

/** Runs one `message` job. Throws only for failures worth retrying (storage, Slack lookups). */
export async function runMessageJob(deps: MessageJobDeps, data: MessageJobData): Promise<void> {
  const inline =
    data.event?.teamId === data.teamId && data.event.eventId === data.eventId
      ? data.event
      : undefined;
  const event = inline ?? (await deps.eventLog.find(data.teamId, data.eventId));
  if (!event) {
    // Acceptance logs a payload before it queues its job, so a payload missing now was redacted
    // since: forgotten (its author's "forget me", its message's deletion) or past retention
    // (ADR-034). There is nothing left to handle, and retrying would not bring it back.
    deps.logger.info(
      { teamId: data.teamId, eventId: data.eventId, kind: data.kind ?? null },
      "slack payload no longer in the event log (redacted): nothing to handle",
    );
    return;
  }
  const started = deps.now();
  // Before the limits: not even a "slow down" goes to a workspace pup may not speak in.
  if (!(await deps.slackListeners.admits(event))) {
    deps.logger.info(
      { teamId: event.teamId, eventId: event.eventId, kind: event.kind },
      "slack payload not handled: workspace uninstalled",
    );
    return;
  }
  if (event.kind !== "event" && !(await withinLimits(deps, event))) return;
  await deps.slackListeners[event.kind](event);
  deps.logger.info(
    {
      teamId: event.teamId,
      eventId: event.eventId,
      kind: event.kind,
      eventType: event.eventType,
      userId: event.userId ?? null,
      channelId: event.channelId ?? null,
      ms: deps.now() - started,
    },
    "slack event handled",
  );
}

/** The fields of a command's form or an interaction that say where to answer. */
interface AnswerFields {
  response_url?: unknown;
  channel_id?: unknown;
  channel?: { id?: unknown };
}

/**
 * Whether a command or an interaction may run; over a limit its sender is told privately
 * (through `response_url` when Slack gave one, else an ephemeral message) and it is not run.
 */
async function withinLimits(deps: MessageJobDeps, event: StoredSlackEvent): Promise<boolean> {
  const userId = event.userId;
  if (!userId) return true;
  if (await admitCommand(deps, { teamId: event.teamId, userId })) return true;
  const fields = (event.payload ?? {}) as AnswerFields;
  const channelId = event.channelId ?? fields.channel_id ?? fields.channel?.id;
  try {
    if (typeof fields.response_url === "string") {
      await deps.slack.respond(fields.response_url, SLOW_DOWN_TEXT);
    } else if (typeof channelId === "string") {
      await deps.slack.postEphemeral(event.teamId, channelId, userId, SLOW_DOWN_TEXT);
    }
  } catch (error) {
    deps.logger.warn({ err: error, teamId: event.teamId }, "telling a user to slow down failed");
  }
  return false;
}

export const messageQueue: QueueDefinition<MessageJobDeps, MessageJobData> = {
  contract: messageJob,
  concurrency: 8,
  processor: (deps) => (data) => runMessageJob(deps, data),
};
