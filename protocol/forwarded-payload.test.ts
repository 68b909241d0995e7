import { describe, expect, test } from "bun:test";
import { type ForwardedPayload, parseForwardedPayload } from "./forwarded-payload";

const valid: ForwardedPayload = {
  version: 1,
  kind: "event",
  id: "Ev0PUP0001",
  teamId: "T0PUP",
  receivedAt: new Date(1_800_000_000_000).toISOString(),
  retry: { num: 0, reason: null },
  payload: { type: "event_callback", event: { type: "app_mention" } },
};

describe("forwarded payload schema", () => {
  test("accepts a payload as the edge builds it, after a JSON round trip", () => {
    const parsed = parseForwardedPayload(JSON.parse(JSON.stringify(valid)));
    expect(parsed).toEqual({ ok: true, payload: valid });
    const command = {
      ...valid,
      kind: "command",
      teamId: null,
      retry: { num: 2, reason: "timeout" },
    };
    expect(parseForwardedPayload(command).ok).toBe(true);
  });

  test("rejects wrong versions, kinds, ids, timestamps and retry counts, naming the field", () => {
    const problems = (patch: Record<string, unknown>) => {
      const result = parseForwardedPayload({ ...valid, ...patch });
      return result.ok ? [] : result.problems.map((problem) => problem.split(":")[0]);
    };
    expect(problems({ version: 2 })).toEqual(["version"]);
    expect(problems({ kind: "message" })).toEqual(["kind"]);
    expect(problems({ id: "" })).toEqual(["id"]);
    expect(problems({ teamId: "" })).toEqual(["teamId"]);
    expect(problems({ receivedAt: "yesterday" })).toEqual(["receivedAt"]);
    expect(problems({ retry: { num: -1, reason: null } })).toEqual(["retry.num"]);
    expect(problems({ retry: { num: 1 } })).toEqual(["retry.reason"]);
    expect(parseForwardedPayload("not an object").ok).toBe(false);
    const { id: _dropped, ...withoutId } = valid;
    expect(parseForwardedPayload(withoutId).ok).toBe(false);
  });
});
