// Turns an async generator (text pieces, then the final result) into the port's ChatStream:
// iterable once, `result()` usable with or without iterating, and lazy, so nothing is requested
// until the caller consumes the stream.
import type { ChatStream } from "../../ports/language-model";
import { PupError } from "../../shared/errors";

export type ChatResult = Awaited<ReturnType<ChatStream["result"]>>;

/** `result()` rejects with this when the consumer stopped iterating before the end. */
export class ChatStreamCancelledError extends PupError {
  override readonly name = "ChatStreamCancelledError";
  constructor() {
    super("the chat stream was cancelled by its consumer before the answer was complete", {
      code: "chat_stream_cancelled",
    });
  }
}

/**
 * Wraps `produce` (yields text pieces, returns the full result) as a {@link ChatStream}. It starts
 * on the first iteration or `result()` call; breaking out of the loop closes the generator (its
 * `finally` blocks abort any request) and makes `result()` reject with
 * {@link ChatStreamCancelledError}. A second iteration throws, as the SDK's streams do.
 */
export function chatStreamFrom(produce: () => AsyncGenerator<string, ChatResult>): ChatStream {
  let started = false;
  let settle:
    | { resolve: (value: ChatResult) => void; reject: (error: unknown) => void }
    | undefined;
  const settled = new Promise<ChatResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Iteration errors reach the consumer through the loop; a result() nobody asks for must not
  // become an unhandled rejection.
  settled.catch(() => {});

  async function* run(): AsyncGenerator<string, void> {
    const generator = produce();
    let finished = false;
    try {
      while (true) {
        const step = await generator.next();
        if (step.done) {
          finished = true;
          settle?.resolve(step.value);
          return;
        }
        yield step.value;
      }
    } catch (error) {
      finished = true;
      settle?.reject(error);
      throw error;
    } finally {
      if (!finished) {
        settle?.reject(new ChatStreamCancelledError());
        // Runs the producer's finally blocks (aborting its request); its own errors are moot.
        await generator.return(undefined as never).catch(() => {});
      }
    }
  }

  function start(): AsyncGenerator<string, void> {
    if (started) {
      throw new Error("a ChatStream can be iterated only once; use result() for the full text");
    }
    started = true;
    return run();
  }

  return {
    [Symbol.asyncIterator]: start,
    result() {
      if (!started) {
        const pieces = start();
        void (async () => {
          for await (const _ of pieces) {
            // Drained only for the result.
          }
        })().catch(() => {});
      }
      return settled;
    },
  };
}
