/**
 * The "embedding" queue's job: embed one message's current text and store the vector beside it.
 * A message edited or deleted since the job was queued is embedded as it is now, or skipped.
 * Jobs running at the same time are embedded together (see embed-batcher.ts).
 */
import type { AppLogger } from "./deps";
import type { EmbedBatcher } from "./embed-batcher";

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
  deps: { batcher: EmbedBatcher; logger: AppLogger },
  data: unknown,
): Promise<void> {
  if (!isJob(data)) {
    deps.logger.error({ data }, "embedding job without teamId/channelId/ts; dropped");
    return;
  }
  await deps.batcher.embed({ teamId: data.teamId, channelId: data.channelId, ts: data.ts });
}
