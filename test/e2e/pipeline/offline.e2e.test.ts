/**
 * Offline mode (no OPENAI_API_KEY, no OPENAI_BASE_URL) end to end: the deterministic embedder
 * and the local responder, which answers in pup's voice from what it recalled.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  forwardToCore,
  GENERAL,
  type Pipeline,
  PUP,
  pupMessages,
  RANDOM,
  said,
  settle,
  startPipeline,
  waitFor,
} from "./harness";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({ llm: "offline" });
});

afterAll(async () => {
  await pipeline?.stop();
});

test("pup recalls a fact said in another channel, attributed, without any model server", async () => {
  const fact = said(pipeline, "my dog is called Biscuit", { channel: RANDOM });
  expect(await forwardToCore(pipeline, fact.envelope)).toBe(202);
  await settle(pipeline);

  const question = said(pipeline, `<@${PUP}> what is my dog called?`, { mention: true });
  expect(await forwardToCore(pipeline, question.envelope)).toBe(202);
  await waitFor(() => pupMessages(pipeline, GENERAL).length > 0, "the offline answer");
  await settle(pipeline);
  const answer = pupMessages(pipeline, GENERAL)[0]?.text ?? "";
  expect(answer).toContain("my dog is called Biscuit");
  expect(answer).toMatch(/^You told me on \d{1,2} [A-Z][a-z]{2} that /);
  // Nothing went to the OpenAI-compatible server.
  expect(pipeline.openai.requests.length).toBe(0);
});
