/**
 * The BullMQ queues pup's workers serve. Names are part of the operator interface
 * (`bun run worker -- --queues embedding,summary`), so keep them stable. They are defined once,
 * with the job-queue port, and re-exported here for the worker's command line.
 */
import { QUEUE_NAMES, type QueueName } from "../../core/src/ports/job-queue";

export { QUEUE_NAMES, type QueueName };

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
