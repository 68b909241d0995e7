/**
 * The floor an event-to-reply path cannot go below with pup's building blocks: a bare
 * `Bun.serve` handler that parses the forward, does one INSERT into the event log table and one
 * BullMQ add, and a BullMQ Worker in the same process that answers each job with one
 * `chat.postMessage` in the event's thread through `@slack/web-api`. No signature check, replay
 * guard, validation, memory, context, model or send key: only the unavoidable hops (HTTP in,
 * PostgreSQL, Redis, a worker picking the job up, HTTP out to Slack).
 */
import { WebClient } from "@slack/web-api";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import postgres from "postgres";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";

export interface FloorOptions {
  databaseUrl: string;
  /** A client to copy connection settings from; the floor opens its own connections. */
  redis: Redis;
  /** BullMQ key prefix (the caller deletes its keys afterwards). */
  prefix: string;
  slackUrl: string;
  slackToken: string;
  /** Jobs processed at once (pup's worker gets the same). */
  concurrency: number;
  /** PostgreSQL connections (pup's pool size). */
  pool: number;
}

export interface Floor {
  url: string;
  stop(): Promise<void>;
}

interface FloorJob {
  channel: string;
  ts: string;
}

/** Starts the floor's HTTP handler and worker. */
export async function startFloor(options: FloorOptions): Promise<Floor> {
  const sql = postgres(options.databaseUrl, { max: options.pool, onnotice: () => {} });
  const producer = options.redis.duplicate();
  const consumer = options.redis.duplicate({ maxRetriesPerRequest: null });
  const queue = new Queue<FloorJob>("floor", { connection: producer, prefix: options.prefix });
  // The same client settings as pup's writes: no SDK retries (a retry could post twice).
  const slack = new WebClient(options.slackToken, {
    slackApiUrl: options.slackUrl,
    retryConfig: { retries: 0 },
  });
  const worker = new Worker<FloorJob>(
    "floor",
    async (job) => {
      await slack.chat.postMessage({
        channel: job.data.channel,
        thread_ts: job.data.ts,
        text: "floor reply",
      });
    },
    { connection: consumer, prefix: options.prefix, concurrency: options.concurrency },
  );
  await worker.waitUntilReady();

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const forwarded = JSON.parse(await request.text()) as ForwardedPayload;
      const teamId = forwarded.teamId ?? "";
      const event = (
        forwarded.payload as { event: { type: string; user: string; channel: string; ts: string } }
      ).event;
      await sql`
        insert into slack_events
          (team_id, event_id, kind, event_type, user_id, channel_id, payload, retry_num, retry_reason)
        values (${teamId}, ${forwarded.id}, ${forwarded.kind}, ${event.type}, ${event.user},
          ${event.channel}, ${sql.json(forwarded.payload as postgres.JSONValue)},
          ${forwarded.retry.num}, ${forwarded.retry.reason})
        on conflict (team_id, event_id) do nothing
        returning id`;
      await queue.add(
        "event",
        { channel: event.channel, ts: event.ts },
        { jobId: `${teamId}-${forwarded.id}` },
      );
      return new Response(null, { status: 202 });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    async stop() {
      await server.stop(true);
      await worker.close();
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
      await sql.end({ timeout: 5 });
    },
  };
}
