/**
 * The "embedding" queue's job: embed one message's current text and store the vector beside it.
 * A message edited or deleted since the job was queued is embedded as it is now, or skipped.
 * (Batching many messages per embedding request is issue 5's work.)
 */
import type { PipelineDeps } from "./deps";

export interface EmbedMessageJob {
  teamId: string;
  channelId: string;
  ts: string;
}

function isJob(data: unknown): data is EmbedMessageJob {
  const value = data as Partial<EmbedMessageJob> | null;
  return (
    typeof value?.teamId === "string" &&
    typeof value.channelId === "string" &&
    typeof value.ts === "string"
  );
}

export async function handleEmbedJob(
  deps: Pick<PipelineDeps, "messages" | "embedder" | "logger">,
  data: unknown,
): Promise<void> {
  if (!isJob(data)) {
    deps.logger.error({ data }, "embedding job without teamId/channelId/ts; dropped");
    return;
  }
  const message = await deps.messages.find(data);
  if (!message || message.deletedAt !== null || message.text.trim() === "") return;
  const [vector] = await deps.embedder.embed([message.text]);
  if (!vector) throw new Error("the embedder returned no vector");
  await deps.messages.setEmbedding(data.teamId, message.id, vector, deps.embedder.model);
}
