/**
 * Job contracts: each queue's jobs are described once (what they carry, how they are named and
 * de-duplicated, how often they are tried), and producers and the consumer import that one
 * description. A queue definition adds the processor and how many jobs a process runs at once;
 * the process starter registers definitions with one line each (core/src/start/queues.ts).
 */
import { createHash } from "node:crypto";
import * as v from "valibot";
import type { Job, JobHandler, JobQueue, QueueName, QueueOptions } from "../ports/job-queue";
import type { Logger } from "../ports/logger";
import { PupError } from "./errors";

export interface JobContract<Data> {
  queue: QueueName;
  /** Checks a job's data when it is taken from the queue (it crossed Redis as JSON). */
  schema: v.GenericSchema<unknown, Data>;
  /** The job's name in the queue (what an operator sees in a queue board). */
  jobName(data: Data): string;
  /** De-duplication id: a job whose id the queue still knows is not added again. */
  jobId(data: Data): string;
  /**
   * Retries and retention where this queue differs from DEFAULT_QUEUE_OPTIONS
   * (ports/job-queue.ts); each difference is explained beside it and in ADR-027.
   */
  options?: Partial<QueueOptions>;
}

/** A queue as a worker runs it. */
export interface QueueDefinition<Deps, Data> {
  contract: JobContract<Data>;
  /** Jobs one process runs at once (jobs mostly wait on PostgreSQL, Slack and the model). */
  concurrency: number;
  /** Builds the processor once per process (it may keep state, such as a batcher). */
  processor(deps: Deps): (data: Data, job: Job) => Promise<void>;
}

/** Adds a job under its contract's name, id, retries and retention. */
export function enqueueJob<Data>(
  queue: JobQueue,
  contract: JobContract<Data>,
  data: Data,
): Promise<{ added: boolean }> {
  return queue.add(contract.queue, contract.jobName(data), data, {
    ...contract.options,
    jobId: contract.jobId(data),
  });
}

/**
 * A job id from readable parts: `prefix-part-part`, each part with every character outside
 * `[A-Za-z0-9._]` written as `~hex~`, so distinct parts can never make the same id and the id
 * holds no `:` (BullMQ's key separator).
 */
export function jobIdOf(prefix: string, ...parts: (string | number)[]): string {
  const safe = (part: string | number) =>
    String(part).replace(/[^A-Za-z0-9._]/g, (ch) => `~${ch.charCodeAt(0).toString(16)}~`);
  return [prefix, ...parts.map(safe)].join("-");
}

/**
 * A short digest standing in for a person's id inside a job id: job ids outlive their jobs in
 * BullMQ's event stream, and a forgotten person's id must not stay there (ADR-034).
 */
export function idDigest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 16);
}

/** A job whose data does not match its queue's contract: retrying cannot help. */
export class JobDataError extends PupError {
  override readonly name = "JobDataError";
  constructor(queue: QueueName, problems: string[]) {
    super(`${queue} job data is malformed: ${problems.join("; ")}`, {
      code: "job_data_invalid",
      retryable: false,
    });
  }
}

/**
 * The runner's handler for one queue: checks each job's data against the contract, then runs
 * the processor. Malformed data is logged with its problems and fails the job for good.
 */
export function jobHandler<Deps, Data>(
  definition: QueueDefinition<Deps, Data>,
  deps: Deps,
  logger: Logger,
): JobHandler {
  const process = definition.processor(deps);
  const { queue, schema } = definition.contract;
  return async (job) => {
    const parsed = v.safeParse(schema, job.data);
    if (!parsed.success) {
      const problems = parsed.issues.map(
        (issue) => `${v.getDotPath(issue) ?? "(data)"}: ${issue.message}`,
      );
      logger.error(
        { queue, jobId: job.id, problems },
        "job data does not match its queue's contract; failed without retry",
      );
      throw new JobDataError(queue, problems);
    }
    await process(parsed.output, job);
  };
}
