/**
 * The record of every Web API call the local Slack received, in arrival order, including the ones
 * an interceptor answered (tests plan faults that way). Tests assert on it; the demo can follow it.
 */
import { EventHub } from "./event-hub";
import type { MethodArgs } from "./method-args";
import type { SlackResponseBody } from "./slack-api";

/** One received call and what became of it. */
export interface RecordedCall<Interference = never> {
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
  /** What an interceptor did to this call (a test's planned fault), if anything. */
  fault: Interference | undefined;
}

/** Input for {@link CallLog.record}: everything but the sequence number. */
export type NewCall<Interference = never> = Omit<RecordedCall<Interference>, "sequence">;

/** An append-only list of calls with a live feed. */
export class CallLog<Interference = never> {
  readonly #calls: RecordedCall<Interference>[] = [];
  readonly events = new EventHub<RecordedCall<Interference>>();
  #sequence = 0;

  /** Appends a call; the response is copied so later state changes do not rewrite history. */
  record(call: NewCall<Interference>): RecordedCall<Interference> {
    this.#sequence += 1;
    const recorded: RecordedCall<Interference> = {
      ...call,
      sequence: this.#sequence,
      response: call.response === null ? null : structuredClone(call.response),
    };
    this.#calls.push(recorded);
    this.events.publish(recorded);
    return recorded;
  }

  /** Every call so far, oldest first. */
  all(): readonly RecordedCall<Interference>[] {
    return [...this.#calls];
  }

  /** Calls to one method, oldest first. */
  to(method: string): RecordedCall<Interference>[] {
    return this.#calls.filter((call) => call.method === method);
  }

  /** Forgets every call and starts numbering from 1 again. */
  clear(): void {
    this.#calls.length = 0;
    this.#sequence = 0;
  }
}
