import { describe, expect, test } from "bun:test";
import {
  encodeForwardedBatch,
  MAX_BATCH_ITEMS,
  parseBatchAnswer,
  parseForwardedBody,
} from "./forwarded-batch";
import type { ForwardedPayload } from "./forwarded-payload";

const payload = (id: string): ForwardedPayload => ({
  version: 1,
  kind: "event",
  id,
  teamId: "T0PUP",
  receivedAt: new Date(1_800_000_000_000).toISOString(),
  retry: { num: 0, reason: null },
  payload: { type: "event_callback" },
});
const item = (id: string) => ({
  payload: payload(id),
  traceparent: `00-${"a".repeat(32)}-${"b".repeat(16)}-01`,
});

describe("forwarded body: single or batch", () => {
  test("a bare payload is a single delivery", () => {
    expect(parseForwardedBody(JSON.parse(JSON.stringify(payload("Ev1"))))).toEqual({
      ok: true,
      kind: "single",
      payload: payload("Ev1"),
    });
  });

  test("an encoded batch round-trips with every item in order", () => {
    const items = [item("Ev1"), item("Ev2"), item("Ev3")];
    expect(parseForwardedBody(JSON.parse(encodeForwardedBatch(items)))).toEqual({
      ok: true,
      kind: "batch",
      items,
    });
  });

  test("a batch with a bad item, no items or too many is refused, naming the problem", () => {
    const bad = { version: 1, batch: [item("Ev1"), { ...item("Ev2"), payload: { id: "" } }] };
    const result = parseForwardedBody(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join(" ")).toContain("batch.1.payload");
    expect(parseForwardedBody({ version: 1, batch: [] }).ok).toBe(false);
    const tooMany = Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) => item(`Ev${i}`));
    expect(parseForwardedBody({ version: 1, batch: tooMany }).ok).toBe(false);
    expect(parseForwardedBody({ version: 2, batch: [item("Ev1")] }).ok).toBe(false);
  });

  test("anything else is not a payload", () => {
    for (const input of [null, 42, "text", [], {}, { ...payload("Ev1"), version: 2 }]) {
      expect(parseForwardedBody(input).ok).toBe(false);
    }
  });
});

describe("batch answer", () => {
  const ids = ["Ev1", "Ev2"];

  test("an answer for exactly these ids, in order, is read", () => {
    const results = [
      { id: "Ev1", status: 202 },
      { id: "Ev2", status: 200 },
    ];
    expect(parseBatchAnswer({ results }, ids)).toEqual(results);
  });

  test("missing, extra, reordered or malformed results are not an answer", () => {
    for (const results of [
      [{ id: "Ev1", status: 202 }],
      [
        { id: "Ev2", status: 202 },
        { id: "Ev1", status: 202 },
      ],
      [
        { id: "Ev1", status: 202 },
        { id: "Ev2", status: 202 },
        { id: "Ev3", status: 202 },
      ],
      [
        { id: "Ev1", status: "202" },
        { id: "Ev2", status: 202 },
      ],
    ]) {
      expect(parseBatchAnswer({ results }, ids)).toBeUndefined();
    }
    expect(parseBatchAnswer(undefined, ids)).toBeUndefined();
  });
});
