/**
 * The BullMQ queues pup's workers serve. Names are part of the operator interface
 * (`bun run worker -- --queues embedding,summary`), so keep them stable.
 */

/** Every queue a worker process can serve, in the order they are listed to operators. */
export const QUEUE_NAMES = ["message", "embedding", "summary", "profile", "cleanup"] as const;

export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
