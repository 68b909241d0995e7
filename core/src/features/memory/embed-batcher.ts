/**
 * Group commit for the "embedding" queue: the jobs running at the same moment share one message
 * read, one embedding request and one write. A job arriving while nothing runs starts a batch on
 * the next turn of the event loop (with whatever arrived in the same turn), never after a timer;
 * jobs arriving while a batch is in flight wait for it and then leave together. The queue's
 * concurrency bounds how many can wait, so it must be well above 1 for batches to form.
 */

import type { Ports } from "../../ports";
import { ModelUnavailableError } from "../../ports/language-model";
import type { EmbeddingItem, MessageRef, StoredMessage } from "../../ports/message-store";

/** `skipped`: the message is gone, deleted or blank, so there was nothing to embed. */
export type EmbedOutcome = "embedded" | "skipped";

export interface EmbedBatcherOptions {
  /** Most messages in one batch, and so in one embedding request. Default 64. */
  maxItems?: number;
  /** Most characters of text in one embedding request (a longer message goes alone). Default 100 000. */
  maxChars?: number;
  /** Batches in flight at once; another starts only when a full batch is waiting. Default 2. */
  maxInFlight?: number;
}

export interface EmbedBatcher {
  /**
   * Embeds the message's current text (an edit since the job was queued is embedded as it is
   * now) and stores the vector. Rejects when this message's embedding or write failed.
   */
  embed(ref: MessageRef): Promise<EmbedOutcome>;
}

interface Waiter {
  ref: MessageRef;
  resolve(outcome: EmbedOutcome): void;
  reject(error: unknown): void;
}

/** One message to embed, and the jobs waiting for it (two versions' jobs can share one). */
interface Work {
  message: StoredMessage;
  waiters: Waiter[];
}

const keyOf = (ref: MessageRef) => `${ref.teamId}\u0000${ref.channelId}\u0000${ref.ts}`;

/** A 4xx answer (a bad key, or one input too long) may be one input's fault, not the batch's. */
const isRejection = (error: unknown) =>
  error instanceof ModelUnavailableError && error.reason === "bad_response";

export function createEmbedBatcher(
  deps: Pick<Ports, "messages" | "embedder" | "logger">,
  options: EmbedBatcherOptions = {},
): EmbedBatcher {
  const maxItems = Math.max(1, options.maxItems ?? 64);
  const maxChars = Math.max(1, options.maxChars ?? 100_000);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  const waiting: Waiter[] = [];
  let inFlight = 0;
  let wakeScheduled = false;

  const pump = (): void => {
    while (
      waiting.length > 0 &&
      (inFlight === 0 || (inFlight < maxInFlight && waiting.length >= maxItems))
    ) {
      const batch = waiting.splice(0, maxItems);
      inFlight += 1;
      void runBatch(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };

  async function runBatch(batch: Waiter[]): Promise<void> {
    try {
      const found = await deps.messages.findMany(batch.map((waiter) => waiter.ref));
      const byRef = new Map(found.map((message) => [keyOf(message), message]));
      const work = new Map<number, Work>();
      for (const waiter of batch) {
        const message = byRef.get(keyOf(waiter.ref));
        if (!message || message.deletedAt !== null || message.text.trim() === "") {
          waiter.resolve("skipped");
          continue;
        }
        const entry = work.get(message.id) ?? { message, waiters: [] };
        entry.waiters.push(waiter);
        work.set(message.id, entry);
      }
      for (const chunk of byCharacters([...work.values()], maxChars)) {
        // A failed request fails its own jobs only; the next chunk still goes.
        await embedChunk(chunk).catch((error: unknown) => {
          for (const entry of chunk) for (const waiter of entry.waiters) waiter.reject(error);
        });
      }
    } catch (error) {
      // Settling twice is a no-op, so jobs already settled keep their outcome.
      for (const waiter of batch) waiter.reject(error);
    }
  }

  /** One embedding request for the chunk, then one write per workspace in it. */
  async function embedChunk(chunk: Work[]): Promise<void> {
    const vectors = await embedTexts(chunk.map((entry) => entry.message.text));
    const byTeam = new Map<string, { entries: Work[]; items: EmbeddingItem[] }>();
    for (const [index, entry] of chunk.entries()) {
      const vector = vectors[index];
      if (!Array.isArray(vector)) {
        for (const waiter of entry.waiters) waiter.reject(vector);
        continue;
      }
      const { teamId, id, text } = entry.message;
      const group = byTeam.get(teamId) ?? { entries: [], items: [] };
      group.entries.push(entry);
      // The text guard keeps a vector of the old text off a row edited meanwhile.
      group.items.push({ messageId: id, embedding: vector, text });
      byTeam.set(teamId, group);
    }
    await Promise.all(
      [...byTeam].map(async ([teamId, group]) => {
        try {
          const stored = await deps.messages.setEmbeddings(
            teamId,
            group.items,
            deps.embedder.model,
          );
          deps.logger.debug(
            { teamId, inputs: group.items.length, stored },
            "embedded a batch of messages",
          );
          for (const entry of group.entries) for (const w of entry.waiters) w.resolve("embedded");
        } catch (error) {
          for (const entry of group.entries) for (const w of entry.waiters) w.reject(error);
        }
      }),
    );
  }

  /** A vector per text, or the error that text's own request failed with. */
  async function embedTexts(texts: string[]): Promise<(number[] | unknown)[]> {
    try {
      const vectors = await deps.embedder.embed(texts);
      if (vectors.length !== texts.length) {
        throw new Error(
          `the embedder returned ${vectors.length} vectors for ${texts.length} texts`,
        );
      }
      return vectors;
    } catch (error) {
      if (texts.length === 1 || !isRejection(error)) throw error;
      // At most one request per text, as many as unbatched jobs would have sent.
      deps.logger.warn(
        { err: error, inputs: texts.length },
        "an embedding request was rejected; sending its inputs one at a time",
      );
      const results: (number[] | unknown)[] = [];
      for (const text of texts) {
        results.push(
          await deps.embedder.embed([text]).then(
            ([vector]) => vector ?? new Error("the embedder returned no vector"),
            (single: unknown) => single,
          ),
        );
      }
      return results;
    }
  }

  return {
    embed(ref) {
      return new Promise<EmbedOutcome>((resolve, reject) => {
        waiting.push({ ref, resolve, reject });
        if (wakeScheduled) return;
        wakeScheduled = true;
        // Next turn, not now: jobs started in this same turn join the batch.
        setImmediate(() => {
          wakeScheduled = false;
          pump();
        });
      });
    },
  };
}

/** Splits work into requests of at most `maxChars` characters (one longer text goes alone). */
function byCharacters(entries: Work[], maxChars: number): Work[][] {
  const chunks: Work[][] = [];
  let current: Work[] = [];
  let chars = 0;
  for (const entry of entries) {
    const length = entry.message.text.length;
    if (current.length > 0 && chars + length > maxChars) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(entry);
    chars += length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
