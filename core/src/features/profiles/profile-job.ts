/**
 * The `profile` queue: a person's profile, updated from their own messages. Each message a
 * person posts queues a job keyed by (team, user, window), delayed until the window closes, so a
 * burst makes one job; the job reads what they posted since a window before its own (the overlap
 * covers clock skew and late commits; re-reading is harmless, applying is idempotent), extracts
 * facts and applies them with their sources (ADR-029).
 */
import * as v from "valibot";
import type { ExtractedFact, ProfileMessage } from "../../ports/profile-store";
import { PupError } from "../../shared/errors";
import { idDigest, type JobContract, jobIdOf, type QueueDefinition } from "../../shared/jobs";
import type { ProfileEnqueueDeps, ProfileJobDeps } from "./deps";
import { isEcho } from "./echo";
import { extractionPrompt, parseExtraction } from "./extract-model";
import { extractStatedFacts } from "./extract-offline";

export interface ProfileJob {
  teamId: string;
  userId: string;
  /** Start of the window (Unix ms) the messages that queued it were stored in. */
  windowStart: number;
}

/** Messages one job reads at most; a longer backlog is read by the next window's job. */
export const PROFILE_BATCH = 200;

const id = v.pipe(v.string(), v.minLength(1));

export const profileJob: JobContract<ProfileJob> = {
  queue: "profile",
  schema: v.object({ teamId: id, userId: id, windowStart: v.pipe(v.number(), v.integer()) }),
  jobName: () => "update-profile",
  // The person appears only as a digest: job ids outlive the job in BullMQ's event stream.
  jobId: (data) => jobIdOf("profile", data.teamId, idDigest(data.userId), data.windowStart),
};

/** Queues the update of `userId`'s profile for the current window (one job per window). */
export async function enqueueProfileUpdate(
  deps: ProfileEnqueueDeps,
  teamId: string,
  userId: string,
): Promise<void> {
  if (!deps.profileSettings.enqueue) return;
  const { windowMs } = deps.profileSettings;
  const now = deps.now();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  // Not enqueueJob: this producer delays the job to the window's end, which the helper cannot.
  await deps.queue.add(
    profileJob.queue,
    profileJob.jobName({ teamId, userId, windowStart }),
    { teamId, userId, windowStart },
    {
      jobId: profileJob.jobId({ teamId, userId, windowStart }),
      // Runs once the window has closed, so the whole burst is in the one job.
      delayMs: windowStart + windowMs - now,
    },
  );
}

export const profileQueue: QueueDefinition<ProfileJobDeps, ProfileJob> = {
  contract: profileJob,
  // Jobs wait on PostgreSQL and, with a model, on one chat request each.
  concurrency: 4,
  processor: (deps) => async (data) => {
    await runProfileJob(deps, data);
  },
};

/** What one run did, by count (also logged). */
export interface ProfileRun {
  messages: number;
  echoes: number;
  added: number;
  superseded: number;
  confirmed: number;
  skipped: number;
}

/** Runs one `profile` job: read the person's new messages, extract, apply. */
export async function runProfileJob(deps: ProfileJobDeps, data: ProfileJob): Promise<ProfileRun> {
  const { teamId, userId } = data;
  const identity = await deps.slack.identity();
  const since = new Date(data.windowStart - deps.profileSettings.windowMs);
  const messages = await deps.profiles.messagesSince(
    teamId,
    userId,
    since,
    PROFILE_BATCH,
    identity.userId,
  );
  const run: ProfileRun = {
    messages: messages.length,
    echoes: 0,
    added: 0,
    superseded: 0,
    confirmed: 0,
    skipped: 0,
  };
  if (messages.length === 0) return run;
  const current = await deps.profiles.facts(teamId, userId);
  const candidates =
    deps.profileSettings.extractor === "model"
      ? await extractWithModel(deps, messages)
      : extractOffline(messages);
  const byId = new Map(messages.map((message) => [message.id, message]));
  const facts = candidates.filter((fact) => {
    const echo = fact.sourceMessageIds.every((sourceId) =>
      isEcho(fact, byId.get(sourceId)?.pupBefore ?? null, current),
    );
    if (echo) run.echoes++;
    return !echo;
  });
  const outcome = await deps.profiles.applyFacts(teamId, userId, facts);
  Object.assign(run, outcome);
  deps.logger.info({ teamId, userId, ...run }, "profile updated");
  return run;
}

function extractOffline(messages: readonly ProfileMessage[]): ExtractedFact[] {
  return messages.flatMap((message) =>
    extractStatedFacts(message.text).map((fact) => ({
      ...fact,
      sourceMessageIds: [message.id],
      validFrom: message.postedAt,
    })),
  );
}

/** A model answer that is not the JSON asked for: retried (the model may do better). */
export class ProfileExtractionError extends PupError {
  override readonly name = "ProfileExtractionError";
  constructor(problem: string) {
    super(`profile extraction answer unusable: ${problem}`, {
      code: "profile_extraction_invalid",
      retryable: true,
    });
  }
}

async function extractWithModel(
  deps: ProfileJobDeps,
  messages: readonly ProfileMessage[],
): Promise<ExtractedFact[]> {
  const stream = deps.model.stream({
    messages: extractionPrompt(messages),
    maxTokens: 800,
    temperature: 0,
  });
  const { text } = await stream.result();
  const parsed = parseExtraction(text, new Set(messages.map((message) => message.id)));
  if (!parsed.ok) throw new ProfileExtractionError(parsed.problem);
  const postedAt = new Map(messages.map((message) => [message.id, message.postedAt.getTime()]));
  return parsed.facts.map((fact) => ({
    ...fact,
    // True from the latest message that says it.
    validFrom: new Date(Math.max(...fact.sourceMessageIds.map((id) => postedAt.get(id) ?? 0))),
  }));
}
