/**
 * Group commit for forwards (ADR-010): concurrent deliveries in one isolate share core requests.
 *
 * A delivery that arrives while fewer than `concurrency` requests to core are in flight becomes a
 * sender: it leaves at once, taking with it everything waiting, so a quiet edge adds no delay.
 * Deliveries that arrive while `concurrency` requests are in flight wait; the next delivery to
 * find a free slot takes them along, a sender whose request is answered takes one more batch of
 * them before it answers its own Slack request, and one still left after PATIENCE_MS sends itself
 * when a slot is free, or after OVERDUE_MS regardless (at most `maxItems` payloads and about
 * `maxBytes` of JSON per batch). Under load one fetch, one HMAC and one round trip serve many
 * Slack deliveries, which is where most of the full path's CPU went.
 *
 * workerd binds every fetch to the request that started it and cancels it when that request
 * ends, so a sender sends only from its own request and returns only after its requests to
 * core are over; it uses its own remaining deadline for them. Each delivery also keeps its own
 * deadline: if its batch has not been answered by then, it stops waiting and is "not accepted"
 * (the fallback forwarder then queues it). Core de-duplicates by id, so a payload that core
 * accepted after all is still handled once.
 *
 * If a sender's request is cancelled mid-flight (its client went away), workerd cancels the
 * fetch with it and may never run the code that frees its slot; a slot therefore also expires a
 * little after its deadline, so a lost one cannot stall the isolate.
 */
import type { ForwardedBatchItem } from "../../../protocol/forwarded-batch";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import type { CoreAnswer, CoreClient } from "./core-client";
import type { ForwardMeta } from "./types";

export interface GroupCommitOptions {
  client: Pick<CoreClient, "deliverBatch">;
  /** Requests to core in flight at once from this isolate (≥ 1). */
  concurrency: number;
  /** Most payloads in one request (1 disables batching). */
  maxItems: number;
  /** A batch stops growing once its payloads' JSON passes this many bytes (one may exceed it). */
  maxBytes: number;
  /** Unix milliseconds; default `Date.now`. */
  now?: () => number;
}

interface Waiting {
  item: ForwardedBatchItem;
  size: number;
  settled: boolean;
  /** In a batch that is being sent. */
  taken: boolean;
  /**
   * Runs in whichever request answered the batch, so it only resolves a promise: workerd
   * forbids touching another request's I/O objects (this delivery's timer, say) and runs the
   * promise's continuation back in this delivery's own request.
   */
  settle(answer: CoreAnswer): void;
}

/** How long after its deadline a slot whose sender never came back is taken as free. */
const SLOT_GRACE_MS = 1000;
/** Batches a sender sends for others after its own, before it answers its own request. */
const EXTRA_BATCHES_PER_SENDER = 1;
/**
 * How often a waiting delivery checks, on its own timer, whether it was left over (a burst
 * ended) while a slot is free, and then sends itself.
 */
const PATIENCE_MS = 10;
/**
 * A delivery left waiting this long sends itself even when every slot looks busy. Slots of
 * senders whose requests were cancelled (their clients went away) are never given back and only
 * expire after their deadline; this keeps such lost slots from stalling everyone meanwhile. In
 * normal operation the slots are given back within a round trip to core, long before.
 */
const OVERDUE_MS = 50;

/** A {@link CoreClient}-shaped `deliver` that batches concurrent deliveries. */
export function createGroupCommit(options: GroupCommitOptions): Pick<CoreClient, "deliver"> {
  const { client, concurrency, maxItems, maxBytes } = options;
  const now = options.now ?? Date.now;
  const waiting: Waiting[] = [];
  /** Requests to core in flight: when each stops counting even if its sender never returns. */
  const slots = new Set<{ expiresAt: number }>();

  function hasFreeSlot(): boolean {
    const at = now();
    for (const slot of slots) if (slot.expiresAt < at) slots.delete(slot);
    return slots.size < concurrency;
  }

  /** `first` (the sender, when it is not waiting) and then the oldest waiting, within limits. */
  function takeBatch(first?: Waiting): Waiting[] {
    const batch: Waiting[] = first ? [first] : [];
    let bytes = first?.size ?? 0;
    while (waiting.length > 0 && batch.length < maxItems) {
      const next = waiting[0] as Waiting;
      if (batch.length > 0 && bytes + next.size > maxBytes) break;
      waiting.shift();
      if (next.settled) continue;
      next.taken = true;
      batch.push(next);
      bytes += next.size;
    }
    return batch;
  }

  /** Sends one batch within `deadline` (Unix ms) and settles its members. */
  async function sendBatch(batch: Waiting[], deadline: number): Promise<void> {
    if (batch.length === 0) return;
    let answers: CoreAnswer[] = [];
    let failure: CoreAnswer = { accepted: false, reason: "no answer for item" };
    try {
      answers = await client.deliverBatch(
        batch.map((member) => member.item),
        Math.max(1, deadline - now()),
      );
    } catch (error) {
      // deliverBatch promises not to throw; if it does anyway, nobody may wait forever.
      const message = error instanceof Error ? error.message : String(error);
      failure = { accepted: false, reason: "network", error: message };
    }
    batch.forEach((member, i) => {
      member.settle(answers[i] ?? failure);
    });
  }

  /**
   * Run by a delivery from its own request, holding a slot: sends a batch that starts with
   * `sender` (unless it is already waiting in line), then, if deliveries queued up meanwhile and
   * time is left, one more for them; then frees the slot. Waiting deliveries are never woken from
   * another request to send: a request cancelled by its client would then run, or swallow, work
   * that belongs to the living ones.
   */
  async function lead(sender: Waiting | undefined, deadline: number): Promise<void> {
    const slot = { expiresAt: deadline + SLOT_GRACE_MS };
    slots.add(slot);
    try {
      await sendBatch(takeBatch(sender), deadline);
      for (let extra = 0; extra < EXTRA_BATCHES_PER_SENDER; extra++) {
        if (!waiting.some((member) => !member.settled) || now() >= deadline) break;
        await sendBatch(takeBatch(), deadline);
      }
    } finally {
      slots.delete(slot);
    }
  }

  return {
    async deliver(payload: ForwardedPayload, meta: ForwardMeta, deadlineMs: number) {
      let resolveResult: (answer: CoreAnswer) => void = () => {};
      const result = new Promise<CoreAnswer>((resolve) => {
        resolveResult = resolve;
      });
      const deadline = now() + deadlineMs;
      const member: Waiting = {
        item: { payload, traceparent: meta.traceparent },
        // Only a bound for batch size: the JSON length is close enough to the bytes sent.
        size: JSON.stringify(payload).length,
        settled: false,
        taken: false,
        settle(answer) {
          if (member.settled) return;
          member.settled = true;
          resolveResult(answer);
        },
      };
      if (hasFreeSlot()) {
        // A sender: its own batch answers it (the request to core has its own deadline), and it
        // stays until its requests to core are over; ending earlier would cancel them for every
        // member of its batches.
        member.taken = true;
        const leading = lead(member, deadline);
        const answer = await result;
        await leading;
        return answer;
      }

      // A waiter, on one timer of its own (so always in its own request, never woken from
      // another). The timer also keeps the request alive while it only awaits a promise: workerd
      // cancels a request with nothing pending as hung.
      waiting.push(member);
      const arrived = now();
      let leading: Promise<void> | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = () => {
        timer = undefined;
        if (member.settled) return;
        const at = now();
        if (at >= deadline) {
          member.settle({ accepted: false, reason: "timeout" });
        } else if (member.taken) {
          // In a batch in flight: only the deadline is left to watch.
          timer = setTimeout(check, deadline - at);
        } else if (hasFreeSlot() || at - arrived >= OVERDUE_MS) {
          leading = lead(undefined, deadline);
          timer = setTimeout(check, deadline - at);
        } else {
          timer = setTimeout(check, Math.min(PATIENCE_MS, deadline - at));
        }
      };
      timer = setTimeout(check, Math.min(PATIENCE_MS, deadlineMs));
      const answer = await result;
      if (timer !== undefined) clearTimeout(timer);
      await leading;
      return answer;
    },
  };
}
