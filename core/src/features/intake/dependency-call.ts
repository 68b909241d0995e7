// A call to the event log or the queue on the acceptance path: bounded in time, and failing
// with one error type, so the route answers 503 (and the edge keeps the payload) for either.
import { PupError } from "../../shared/errors";

/** The event log or the queue failed or did not answer in time. */
export class DependencyError extends PupError {
  override readonly name = "DependencyError";
  constructor(message: string, cause?: unknown) {
    super(message, { code: "dependency_unavailable", retryable: true, cause });
  }
}

/** Runs `work`, failing with a {@link DependencyError} naming `what` when it fails or is slow. */
export function dependencyCall<T>(work: () => Promise<T>, what: string, ms: number): Promise<T> {
  return withTimeout(
    work().catch((error: unknown) => {
      throw new DependencyError(`${what} failed`, error);
    }),
    ms,
    what,
  );
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DependencyError(`${what} timed out after ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
