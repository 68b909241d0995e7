// Offline mode: a deterministic local embedder and responder, no network (see each module).
export { createOfflineEmbedder, OFFLINE_EMBEDDING_MODEL, offlineEmbedding } from "./embedder";
export {
  createOfflineModel,
  OFFLINE_CHAT_MODEL,
  OFFLINE_GREETING_ANSWER,
  OFFLINE_NO_MEMORY_ANSWER,
  offlineAnswer,
} from "./model";
