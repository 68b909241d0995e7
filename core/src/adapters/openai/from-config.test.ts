import { afterAll, describe, expect, test } from "bun:test";
import { type FakeOpenAI, startFakeOpenAI } from "../../../../test/fakes/openai";
import { toLlmConfig } from "../../config/sections";
import { OFFLINE_CHAT_MODEL, OFFLINE_EMBEDDING_MODEL } from "../offline";
import { createModelsFromConfig } from "./from-config";

const fake: FakeOpenAI = await startFakeOpenAI();
afterAll(() => fake.stop());

const defaults = {
  OPENAI_API_KEY: undefined,
  OPENAI_BASE_URL: undefined,
  OPENAI_CHAT_MODEL: "gpt-4o-mini",
  OPENAI_EMBEDDING_MODEL: "text-embedding-3-small",
};

describe("createModelsFromConfig", () => {
  test("offline mode gives the local model and embedder", async () => {
    const models = createModelsFromConfig(toLlmConfig(defaults), { dimensions: 128 });
    expect(models.mode).toBe("offline");
    expect(models.breaker).toBeUndefined();
    expect(models.model.model).toBe(OFFLINE_CHAT_MODEL);
    expect(models.embedder.model).toBe(OFFLINE_EMBEDDING_MODEL);
    expect((await models.embedder.embed(["hello"]))[0]).toHaveLength(128);
  });

  test("openai mode talks to the configured server, behind a circuit breaker", async () => {
    const models = createModelsFromConfig(
      toLlmConfig({ ...defaults, OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url }),
      { dimensions: 48 },
      { maxRetries: 0, breaker: { failureThreshold: 1 } },
    );
    expect(models.mode).toBe("openai");
    const answer = await models.model
      .stream({ messages: [{ role: "user", content: "hi" }] })
      .result();
    expect(answer.text).toBe("echo: hi");
    expect((await models.embedder.embed(["hi"]))[0]).toHaveLength(48);

    fake.injectFault("chat", { kind: "http-error", status: 500 });
    await models.model
      .stream({ messages: [{ role: "user", content: "hi" }] })
      .result()
      .catch(() => {});
    expect(models.breaker?.state).toBe("open");
  });
});
