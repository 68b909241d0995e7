/**
 * The record of every Web API call the fake received, in arrival order, including the ones a
 * planned fault answered. Tests assert on it; a demo page can subscribe and show it live.
 */
import { EventHub } from "./event-hub";
import type { Fault } from "./faults";
import type { MethodArgs } from "./method-args";
import type { SlackResponseBody } from "./slack-api";

/** One received call and what became of it. */
export interface RecordedCall {
  /** 1, 2, 3… in arrival order. */
  sequence: number;
  method: string;
  /** The token presented (header or body), if any. */
  token: string | undefined;
  /** Parsed arguments (form fields are strings; `token` removed). */
  args: MethodArgs;
  /** When the call arrived. */
  receivedAt: Date;
  /** HTTP status sent, or `null` when the response was deliberately lost. */
  httpStatus: number | null;
  /** The Slack body produced (also for a lost response: what the client never saw). */
  response: SlackResponseBody | null;
  /** The planned fault applied to this call, if any. */
  fault: Fault | undefined;
}

/** Input for {@link CallLog.record}: everything but the sequence number. */
export type NewCall = Omit<RecordedCall, "sequence">;

/** An append-only list of calls with a live feed. */
export class CallLog {
  readonly #calls: RecordedCall[] = [];
  readonly events = new EventHub<RecordedCall>();
  #sequence = 0;

  /** Appends a call; the response is copied so later state changes do not rewrite history. */
  record(call: NewCall): RecordedCall {
    this.#sequence += 1;
    const recorded: RecordedCall = {
      ...call,
      sequence: this.#sequence,
      response: call.response === null ? null : structuredClone(call.response),
    };
    this.#calls.push(recorded);
    this.events.publish(recorded);
    return recorded;
  }

  /** Every call so far, oldest first. */
  all(): readonly RecordedCall[] {
    return [...this.#calls];
  }

  /** Calls to one method, oldest first. */
  to(method: string): RecordedCall[] {
    return this.#calls.filter((call) => call.method === method);
  }

  /** Forgets every call and starts numbering from 1 again. */
  clear(): void {
    this.#calls.length = 0;
    this.#sequence = 0;
  }
}
