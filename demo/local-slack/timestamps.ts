/**
 * Slack message timestamps ("1712345678.000100"): seconds, a dot, six digits. They double as
 * message ids, so every one handed out here must be unique and strictly increasing, even when
 * many messages are posted within the same microsecond of the clock.
 */

/** Hands out unique, strictly increasing Slack timestamps from a millisecond clock. */
export class SlackTimestampClock {
  #lastMicros = 0n;
  readonly #now: () => number;

  /** @param now milliseconds since the epoch; injectable so a demo or test can pin time */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The next timestamp: the clock's time, or one microsecond after the previous one. */
  next(): string {
    const fromClock = BigInt(Math.floor(this.#now())) * 1000n;
    this.#lastMicros = fromClock > this.#lastMicros ? fromClock : this.#lastMicros + 1n;
    return formatMicros(this.#lastMicros);
  }

  /** Current time in whole seconds, for fields such as `created` and `edited`. */
  nowSeconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}

function formatMicros(micros: bigint): string {
  const seconds = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, "0");
  return `${seconds}.${fraction}`;
}

/** Orders two Slack timestamps numerically (string order breaks when digit counts differ). */
export function compareSlackTs(a: string, b: string): number {
  const [aSeconds = "0", aFraction = ""] = a.split(".");
  const [bSeconds = "0", bFraction = ""] = b.split(".");
  const bySeconds = Number(aSeconds) - Number(bSeconds);
  if (bySeconds !== 0) return Math.sign(bySeconds);
  return Math.sign(Number(aFraction.padEnd(6, "0")) - Number(bFraction.padEnd(6, "0")));
}

/** Whether a string looks like a Slack timestamp at all. */
export function isSlackTs(value: string): boolean {
  return /^\d+\.\d{1,6}$/.test(value);
}
