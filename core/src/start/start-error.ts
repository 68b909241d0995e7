import { PupError } from "../shared/errors";

/** A start that failed for a reason one line explains to the operator (no stack trace). */
export class StartError extends PupError {
  override readonly name = "StartError";
  constructor(message: string, cause?: unknown) {
    super(message, { code: "start_failed", retryable: false, cause });
  }
}
