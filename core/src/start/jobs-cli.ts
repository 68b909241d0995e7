/**
 * `bun run jobs -- failed [--queue q] [--limit n]`: the dead-letter view, every failed job with
 * its id, queue, name, attempts and reason (never its data).
 * `bun run jobs -- retry [--queue q]`: after an outage, moves every failed job back to wait with
 * its attempts reset, in one command. Both read REDIS_URL and PUP_REDIS_PREFIX as the processes
 * do; without `--queue` they cover every queue.
 */
import { parseArgs } from "node:util";
import { createBullMqJobAdmin, createRedisClient } from "../adapters/redis";
import { maskUrl } from "../config/fields";
import { QUEUE_NAMES, type QueueName } from "../ports/job-queue";
import { exitWith } from "./run-process";

const USAGE =
  "usage: bun run jobs -- failed [--queue q[,q]] [--limit n] | retry [--queue q[,q]]\n" +
  `queues: ${QUEUE_NAMES.join(", ")}`;

interface Command {
  action: "failed" | "retry";
  queues: QueueName[];
  limit: number;
}

export function parseJobsCommand(args: readonly string[]): Command {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { queue: { type: "string", multiple: true }, limit: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const [action, ...extra] = positionals;
  if ((action !== "failed" && action !== "retry") || extra.length > 0) {
    throw new Error(`unknown command ${JSON.stringify(positionals.join(" "))}\n${USAGE}`);
  }
  const named = (values.queue ?? []).flatMap((list) => list.split(",")).map((q) => q.trim());
  const unknown = named.filter((name) => !(QUEUE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown queue ${unknown.join(", ")}\n${USAGE}`);
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 0)
    throw new Error(`--limit must be a whole number\n${USAGE}`);
  const queues = named.length > 0 ? [...new Set(named as QueueName[])] : [...QUEUE_NAMES];
  return { action, queues, limit };
}

async function main(): Promise<void> {
  let command: Command;
  try {
    command = parseJobsCommand(process.argv.slice(2));
  } catch (error) {
    exitWith("jobs", error instanceof Error ? error.message : String(error));
  }
  const url = process.env.REDIS_URL;
  if (!url) exitWith("jobs", "REDIS_URL: required (the Redis the workers use)");
  const prefix = `${process.env.PUP_REDIS_PREFIX || "pup"}:bull`;
  let lastError: Error | undefined;
  const connection = createRedisClient(url, {
    connectionName: "pup-jobs-cli",
    onError: (error) => {
      lastError = error;
    },
  });
  const admin = createBullMqJobAdmin({ connection, prefix });
  try {
    for (const queue of command.queues) {
      if (command.action === "retry") {
        const moved = await admin.retryFailed(queue);
        process.stdout.write(`${queue}: ${moved} failed job(s) moved back to wait\n`);
        continue;
      }
      const { total, jobs } = await admin.failed(queue, command.limit);
      process.stdout.write(`${queue}: ${total} failed\n`);
      for (const job of jobs) {
        const at = job.failedAt ? new Date(job.failedAt).toISOString() : "-";
        process.stdout.write(
          `  ${job.id}\t${job.name}\tattempts=${job.attemptsMade}\t${at}\t${job.failedReason}\n`,
        );
      }
      if (total > jobs.length) process.stdout.write(`  … ${total - jobs.length} more\n`);
    }
  } catch (error) {
    const why = lastError?.message ?? (error instanceof Error ? error.message : String(error));
    exitWith("jobs", `cannot read the queues at ${maskUrl(url)} (REDIS_URL): ${why}`);
  } finally {
    await admin.close().catch(() => {});
    connection.disconnect();
  }
}

if (import.meta.main) await main();
