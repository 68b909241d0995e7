/**
 * The batch form of an edge -> core request. Under load the edge sends the payloads of several
 * concurrent Slack deliveries in one signed request (group commit, ADR-010) instead of one
 * request each; with a single payload it sends the plain {@link ForwardedPayload} as before.
 *
 * Request body: `{ "version": 1, "batch": [{ "payload": ForwardedPayload, "traceparent": "…" }] }`
 * Answer: 200 with `{ "results": [{ "id": "…", "status": 202 | 200 | 4xx | 5xx }] }`, one result
 * per item in request order, each status meaning exactly what it would for a single payload
 * (202 accepted, 200 duplicate of an accepted id, anything else not accepted). Any other answer
 * means no item was accepted.
 */
import * as v from "valibot";
import {
  FORWARDED_PAYLOAD_VERSION,
  type ForwardedPayload,
  forwardedPayloadSchema,
} from "./forwarded-payload";

/** Most items one batch may carry; core refuses larger batches (400). */
export const MAX_BATCH_ITEMS = 256;

export interface ForwardedBatchItem {
  payload: ForwardedPayload;
  /** W3C trace context of this item's Slack delivery. */
  traceparent: string;
}

export interface ForwardedBatch {
  version: typeof FORWARDED_PAYLOAD_VERSION;
  batch: ForwardedBatchItem[];
}

/** One item's outcome, in request order. */
export interface BatchItemResult {
  id: string;
  status: number;
}

export interface ForwardedBatchAnswer {
  results: BatchItemResult[];
}

const batchSchema = v.object({
  version: v.literal(FORWARDED_PAYLOAD_VERSION),
  batch: v.pipe(
    v.array(
      v.object({
        payload: forwardedPayloadSchema,
        traceparent: v.pipe(v.string(), v.maxLength(128)),
      }),
    ),
    v.minLength(1),
    v.maxLength(MAX_BATCH_ITEMS),
  ),
});

const answerSchema = v.object({
  results: v.array(
    v.object({ id: v.string(), status: v.pipe(v.number(), v.integer(), v.minValue(100)) }),
  ),
});

/** What a forwarded request body holds: one payload, or a batch of them. */
export type ForwardedBody =
  | { ok: true; kind: "single"; payload: ForwardedPayload }
  | { ok: true; kind: "batch"; items: ForwardedBatchItem[] }
  | { ok: false; problems: string[] };

function problemsOf(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => `${v.getDotPath(issue) ?? "(root)"}: ${issue.message}`);
}

/**
 * Validates an already-parsed JSON body of `POST /internal/slack` in either form. A body with a
 * `batch` field is a batch; anything else must be a single payload.
 */
export function parseForwardedBody(input: unknown): ForwardedBody {
  if (typeof input === "object" && input !== null && "batch" in input) {
    const result = v.safeParse(batchSchema, input);
    if (result.success) return { ok: true, kind: "batch", items: result.output.batch };
    return { ok: false, problems: problemsOf(result.issues) };
  }
  const single = v.safeParse(forwardedPayloadSchema, input);
  if (single.success) return { ok: true, kind: "single", payload: single.output };
  return { ok: false, problems: problemsOf(single.issues) };
}

/** Builds the batch body for `items` (at least two; a single payload is sent bare). */
export function encodeForwardedBatch(items: readonly ForwardedBatchItem[]): string {
  const batch: ForwardedBatch = { version: FORWARDED_PAYLOAD_VERSION, batch: [...items] };
  return JSON.stringify(batch);
}

/**
 * Reads core's answer to a batch. Returns undefined when it is not a well-formed answer for
 * exactly these ids in this order (the caller then treats every item as not accepted).
 */
export function parseBatchAnswer(
  input: unknown,
  ids: readonly string[],
): BatchItemResult[] | undefined {
  const result = v.safeParse(answerSchema, input);
  if (!result.success) return undefined;
  const { results } = result.output;
  if (results.length !== ids.length) return undefined;
  for (let i = 0; i < ids.length; i++) {
    if (results[i]?.id !== ids[i]) return undefined;
  }
  return results;
}
