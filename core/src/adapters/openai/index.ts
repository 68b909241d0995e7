// Any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp) through the `openai` SDK.
export { ChatStreamCancelledError, chatStreamFrom } from "./chat-stream";
export { withCircuitBreaker } from "./circuit-breaker-model";
export { OPENAI_DEFAULT_BASE_URL, PLACEHOLDER_API_KEY } from "./client";
export { createOpenAiEmbedder, EmbeddingShapeError, type OpenAiEmbedderOptions } from "./embedder";
export { createModelsFromConfig, type Models, type ModelsFromConfigOptions } from "./from-config";
export { createOpenAiModel, type OpenAiModelOptions } from "./model";
