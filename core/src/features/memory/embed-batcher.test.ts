// The embedding batcher over real adapters: the SQL message store on the test PostgreSQL, the
// offline embedder behind a recording (and optionally gated or failing) wrapper, and the
// in-process job queue running the embedding job as the worker does.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import * as v from "valibot";
import { createDb, type DbHandle } from "../../../../db/client";
import { queryRows } from "../../../../db/query-rows";
import { uniqueName } from "../../../../test/setup/isolation";
import { createInProcessJobs } from "../../adapters/in-process/job-queue";
import { createOfflineEmbedder, offlineEmbedding } from "../../adapters/offline/embedder";
import { createLogger } from "../../adapters/pino/logger";
import { createSqlDirectory } from "../../adapters/sql/directory";
import { createSqlMessageStore } from "../../adapters/sql/message-store";
import type { Job } from "../../ports/job-queue";
import { type Embedder, ModelUnavailableError } from "../../ports/language-model";
import type { MessageRef, MessageStore } from "../../ports/message-store";
import { createEmbedBatcher, type EmbedBatcherOptions } from "./embed-batcher";
import { embeddingJob, runEmbeddingJob } from "./embedding-job";

const DIMENSIONS = 512;
let handle: DbHandle;
let messages: MessageStore;
const logger = createLogger({
  level: "silent",
  env: "development",
  name: "test",
  destination: { write: () => {} },
});

beforeAll(() => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set");
  handle = createDb({ databaseUrl, dataDir: "memory://", embeddingDimensions: DIMENSIONS });
  messages = createSqlMessageStore(handle.db);
});

afterAll(async () => {
  await handle?.close();
});

/**
 * The offline embedder, recording every request's inputs. `gate` holds requests until released;
 * `fail` decides per request whether it throws instead.
 */
function recordingEmbedder(fail?: (texts: string[]) => Error | undefined) {
  const inner = createOfflineEmbedder(DIMENSIONS);
  const requests: string[][] = [];
  let gate: Promise<void> | undefined;
  let open = () => {};
  const embedder: Embedder = {
    model: inner.model,
    dimensions: inner.dimensions,
    async embed(texts) {
      requests.push([...texts]);
      if (gate) await gate;
      const error = fail?.(texts);
      if (error) throw error;
      return inner.embed(texts);
    },
  };
  return {
    embedder,
    requests,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
  };
}

/** A workspace and channel of its own, and `count` stored messages in it. */
async function storeMessages(texts: string[]): Promise<MessageRef[]> {
  const teamId = uniqueName("T");
  const directory = createSqlDirectory(handle.db);
  await directory.upsertWorkspace({ teamId });
  await directory.upsertChannel({ teamId, channelId: "C1", visibility: "public_channel" });
  const refs: MessageRef[] = [];
  for (const [i, text] of texts.entries()) {
    const ts = `${1_700_000_000 + i}.000100`;
    await messages.upsert({
      teamId,
      channelId: "C1",
      ts,
      userId: "U1",
      text,
      visibility: "public_channel",
      postedAt: new Date(1_700_000_000_000 + i * 1000),
    });
    refs.push({ teamId, channelId: "C1", ts });
  }
  return refs;
}

/** Each ref's stored vector (undefined when none) and model. */
async function storedVectors(refs: MessageRef[]) {
  const teamId = refs[0]?.teamId ?? "";
  const rows = await queryRows<{ ts: string; embedding: string | null; model: string | null }>(
    handle.db,
    sql`select ts, embedding::text as embedding, embedding_model as model
        from messages where team_id = ${teamId}`,
  );
  const byTs = new Map(rows.map((row) => [row.ts, row]));
  return refs.map((ref) => {
    const row = byTs.get(ref.ts);
    return {
      vector: row?.embedding ? (JSON.parse(row.embedding) as number[]) : undefined,
      model: row?.model ?? null,
    };
  });
}

function expectOfflineVector(vector: number[] | undefined, text: string) {
  const expected = offlineEmbedding(text, DIMENSIONS);
  expect(vector).toHaveLength(DIMENSIONS);
  for (const [i, value] of expected.entries()) expect(vector?.[i]).toBeCloseTo(value, 5);
}

const texts = (n: number, prefix = "note") =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i}: the deploy of service ${i % 7} is green`);

function batcherWith(embedder: Embedder, options?: EmbedBatcherOptions) {
  return createEmbedBatcher({ messages, embedder, logger }, options);
}

test("jobs queued together are embedded in a few requests with many inputs each", async () => {
  const words = texts(100);
  const refs = await storeMessages(words);
  const recorder = recordingEmbedder();
  const batcher = batcherWith(recorder.embedder);
  const jobs = createInProcessJobs();
  let done = 0;
  await jobs.runner.start(
    {
      embedding: async (job) => {
        await runEmbeddingJob(batcher, v.parse(embeddingJob.schema, job.data));
        done += 1;
      },
    },
    { concurrency: 1, perQueue: { embedding: 100 } },
  );
  for (const [i, ref] of refs.entries()) {
    await jobs.queue.add("embedding", "embed-message", ref, { jobId: `embed-${i}` });
  }
  while (done < refs.length) await Bun.sleep(5);
  await jobs.runner.stop(1000);

  expect(recorder.requests.length).toBeLessThanOrEqual(4);
  expect(Math.max(...recorder.requests.map((r) => r.length))).toBeGreaterThan(1);
  for (const request of recorder.requests) expect(request.length).toBeLessThanOrEqual(64);
  expect(recorder.requests.flat().sort()).toEqual([...words].sort());
  const stored = await storedVectors(refs);
  for (const [i, row] of stored.entries()) {
    expect(row.model).toBe(recorder.embedder.model);
    expectOfflineVector(row.vector, words[i] ?? "");
  }
});

test("a lone job goes alone; jobs arriving while it is in flight leave together after it", async () => {
  const words = texts(11, "lone");
  const refs = await storeMessages(words);
  const recorder = recordingEmbedder();
  const batcher = batcherWith(recorder.embedder);

  recorder.hold();
  const first = batcher.embed(refs[0] as MessageRef);
  // The lone job's request is sent without waiting for company.
  while (recorder.requests.length === 0) await Bun.sleep(1);
  const rest = refs.slice(1).map((ref) => batcher.embed(ref));
  await Bun.sleep(20);
  expect(recorder.requests).toEqual([[words[0] ?? ""]]);
  recorder.release();

  expect(await first).toBe("embedded");
  expect(await Promise.all(rest)).toEqual(Array(10).fill("embedded"));
  expect(recorder.requests).toEqual([[words[0] ?? ""], words.slice(1)]);
});

test("a failed request fails its own jobs only; a rejected one is retried input by input", async () => {
  const words = [...texts(3, "fine"), "poison pill", ...texts(2, "also fine")];
  const refs = await storeMessages(words);
  const recorder = recordingEmbedder((batch) =>
    batch.some((text) => text.startsWith("poison"))
      ? new ModelUnavailableError("HTTP 400: input rejected", "bad_response")
      : undefined,
  );
  const batcher = batcherWith(recorder.embedder);

  const outcomes = await Promise.allSettled(refs.map((ref) => batcher.embed(ref)));
  expect(outcomes.map((o) => o.status)).toEqual([
    "fulfilled",
    "fulfilled",
    "fulfilled",
    "rejected",
    "fulfilled",
    "fulfilled",
  ]);
  expect(recorder.requests).toEqual([words, ...words.map((w) => [w])]);
  const stored = await storedVectors(refs);
  expect(stored.map((row) => row.vector !== undefined)).toEqual([
    true,
    true,
    true,
    false,
    true,
    true,
  ]);
});

test("a transient failure fails the batch's jobs; the queue retries them and the next batch works", async () => {
  const words = texts(6, "retry");
  const refs = await storeMessages(words);
  let failuresLeft = 1;
  const recorder = recordingEmbedder(() =>
    failuresLeft-- > 0 ? new ModelUnavailableError("HTTP 503", "server_error") : undefined,
  );
  const batcher = batcherWith(recorder.embedder);
  const failed: Job[] = [];
  const jobs = createInProcessJobs({ backoffDelayMs: 10, onFailure: (job) => failed.push(job) });
  let done = 0;
  await jobs.runner.start(
    {
      embedding: async (job) => {
        await runEmbeddingJob(batcher, v.parse(embeddingJob.schema, job.data));
        done += 1;
      },
    },
    { perQueue: { embedding: 32 } },
  );
  for (const [i, ref] of refs.entries()) {
    await jobs.queue.add("embedding", "embed-message", ref, { jobId: `retry-${i}` });
  }
  while (done < refs.length) await Bun.sleep(5);
  await jobs.runner.stop(1000);

  // The whole first batch failed once (one request, not six), then every job was retried.
  expect(failed.map((job) => job.attempt)).toEqual(Array(6).fill(1));
  expect(recorder.requests[0]).toEqual(words);
  expect(recorder.requests.slice(1).flat().sort()).toEqual([...words].sort());
  const stored = await storedVectors(refs);
  for (const [i, row] of stored.entries()) expectOfflineVector(row.vector, words[i] ?? "");
});

test("a deleted or missing message is skipped; an edited one is embedded as it is now", async () => {
  const refs = await storeMessages(["kept as is", "deleted before its job", "before the edit"]);
  const [kept, deleted, edited] = refs as [MessageRef, MessageRef, MessageRef];
  await messages.softDelete(deleted, new Date());
  await messages.edit(edited, "after the edit", new Date());
  const missing = { ...kept, ts: "1600000000.000001" };
  const recorder = recordingEmbedder();
  const batcher = batcherWith(recorder.embedder);

  const outcomes = await Promise.all([kept, deleted, edited, missing].map((r) => batcher.embed(r)));
  expect(outcomes).toEqual(["embedded", "skipped", "embedded", "skipped"]);
  expect(recorder.requests).toEqual([["kept as is", "after the edit"]]);
  const [keptRow, deletedRow, editedRow] = await storedVectors(refs);
  expectOfflineVector(keptRow?.vector, "kept as is");
  expect(deletedRow?.vector).toBeUndefined();
  expectOfflineVector(editedRow?.vector, "after the edit");
});

test("an edit while the request is in flight keeps the stale vector off the row", async () => {
  const refs = await storeMessages(["the first words"]);
  const ref = refs[0] as MessageRef;
  const recorder = recordingEmbedder();
  const batcher = batcherWith(recorder.embedder);

  recorder.hold();
  const stale = batcher.embed(ref);
  while (recorder.requests.length === 0) await Bun.sleep(1);
  await messages.edit(ref, "the second words", new Date());
  recorder.release();
  await stale;
  expect((await storedVectors(refs))[0]?.vector).toBeUndefined();

  // The edit's own job then embeds the new text.
  expect(await batcher.embed(ref)).toBe("embedded");
  expectOfflineVector((await storedVectors(refs))[0]?.vector, "the second words");
});

test("requests stay within the character budget and the item limit", async () => {
  const long = "word ".repeat(300).trim();
  const words = [long, "short one", long, "short two", "short three"];
  const refs = await storeMessages(words);
  const recorder = recordingEmbedder();
  const batcher = batcherWith(recorder.embedder, { maxItems: 4, maxChars: long.length + 20 });

  await Promise.all(refs.map((ref) => batcher.embed(ref)));
  for (const request of recorder.requests) {
    expect(request.length).toBeLessThanOrEqual(4);
    const chars = request.reduce((sum, text) => sum + text.length, 0);
    expect(request.length === 1 || chars <= long.length + 20).toBe(true);
  }
  expect(recorder.requests.flat().sort()).toEqual([...words].sort());
  expect(recorder.requests.length).toBeGreaterThan(2);
});
