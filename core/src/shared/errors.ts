/**
 * The one error model shared by every pup process: a base error that says what went wrong
 * (`code`), whether trying again could help (`retryable`), and what caused it (`cause`).
 * HTTP apps map it to responses in their single `onError`; job processors turn non-retryable
 * ones into BullMQ's `UnrecoverableError`.
 */

/** Options accepted by {@link PupError}. */
export interface PupErrorOptions {
  /** Stable machine-readable identifier, e.g. `config_invalid`, `slack_rate_limited`. */
  code: string;
  /** True when the same operation may succeed later (network blip, 429, lock timeout). */
  retryable?: boolean;
  /** The underlying error, kept for logs; never shown to Slack users. */
  cause?: unknown;
  /**
   * Part of normal operation, not a fault (a duplicate delivery waiting for its twin's answer):
   * a failed job attempt is then logged at info, not warn.
   */
  expected?: boolean;
}

/** Base class for every error pup raises on purpose. */
export class PupError extends Error {
  override readonly name: string = "PupError";
  /** Stable machine-readable identifier of the failure. */
  readonly code: string;
  /** Whether retrying the same operation could succeed. */
  readonly retryable: boolean;
  /** Whether this is an expected step of normal operation rather than a fault. */
  readonly expected: boolean;

  constructor(message: string, options: PupErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.expected = options.expected ?? false;
  }
}

/** One configuration problem: the variable (or flag) and what is wrong with it. */
export interface ConfigProblem {
  /** Environment variable or command-line flag, e.g. `CORE_SHARED_SECRET` or `--queues`. */
  variable: string;
  /** What is wrong, phrased to follow `VARIABLE: `; never contains a secret's value. */
  message: string;
}

/**
 * The process configuration is missing or malformed. Its message lists every problem, one line
 * each, so an operator fixes them all in one go instead of one restart per variable.
 */
export class ConfigError extends PupError {
  override readonly name: string = "ConfigError";
  /** Every problem found, in schema order. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((problem) => `  ${problem.variable}: ${problem.message}`);
    const noun = problems.length === 1 ? "problem" : "problems";
    super(`Invalid configuration (${problems.length} ${noun}):\n${lines.join("\n")}`, {
      code: "config_invalid",
      retryable: false,
    });
    this.problems = problems;
  }
}
