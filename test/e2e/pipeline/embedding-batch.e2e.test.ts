/**
 * Embedding jobs in a burst share requests: a burst of ordinary channel messages through core's
 * HTTP app and the BullMQ workers ends with every message embedded by the local OpenAI server,
 * in fewer requests than messages, at least one of them carrying several inputs.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../db/query-rows";
import { BOB, forwardToCore, GENERAL, type Pipeline, said, settle, startPipeline } from "./harness";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});

afterAll(async () => {
  await pipeline?.stop();
});

test("a burst of messages is embedded in batched requests", async () => {
  const count = 40;
  const burst = Array.from({ length: count }, (_, i) =>
    said(pipeline, `burst message ${i}: the release train leaves at ${i % 12} o'clock`, {
      user: BOB,
    }),
  );
  const statuses = await Promise.all(burst.map((m) => forwardToCore(pipeline, m.envelope)));
  expect(statuses).toEqual(Array(count).fill(202));
  await settle(pipeline, 30_000);

  const requests = pipeline.openai.embeddingRequests();
  const inputs = requests.map((request) => {
    const input = request.body.input;
    return Array.isArray(input) ? input.length : 1;
  });
  expect(inputs.reduce((sum, n) => sum + n, 0)).toBe(count);
  expect(requests.length).toBeLessThan(count);
  expect(Math.max(...inputs)).toBeGreaterThan(1);

  const stamps = burst.map((m) => m.ts);
  const [row] = await queryRows<{ embedded: number }>(
    pipeline.services.db.db,
    sql`select count(*)::int as embedded from messages
        where channel_id = ${GENERAL} and embedding is not null
          and ts in (select unnest(${`{${stamps.join(",")}}`}::text[]))`,
  );
  expect(row?.embedded).toBe(count);
});
