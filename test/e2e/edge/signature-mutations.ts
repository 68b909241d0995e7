/**
 * The ways the signature property test spoils a valid Slack delivery. Each mutation leaves a
 * request that Slack did not sign as sent (or signed at a time outside the 5-minute window, or
 * with the wrong secret), so the edge must refuse it with 401 and forward nothing.
 */
import fc from "fast-check";
import { type SlackHttpRequest, slackSignature } from "./signed-request-arbitraries";

const WINDOW_SECONDS = 300;

export type SignatureMutation =
  /** One body byte changed (XOR with a non-zero value), signature kept. */
  | { kind: "body-byte"; at: number; xor: number }
  /** One hex digit of the signature changed. */
  | { kind: "signature-hex"; at: number; delta: number }
  /** The hex digits upper-cased: the same MAC in a form Slack never sends. */
  | { kind: "signature-case" }
  /** The `v0=` prefix replaced. */
  | { kind: "prefix"; replacement: string }
  /** Signature and/or timestamp header removed. */
  | { kind: "drop-header"; headers: "timestamp" | "signature" | "both" }
  /** Correctly signed, but at a timestamp outside the window (past or future). */
  | { kind: "timestamp-skew"; seconds: number }
  /** Timestamp header changed after signing. */
  | { kind: "timestamp-header"; delta: number }
  /** Signed over a timestamp that is not plain decimal seconds. */
  | { kind: "timestamp-format"; render: "fraction" | "leading-space" | "plus" | "hex" | "empty" }
  /** Signed with another secret; "" is the empty secret. */
  | { kind: "wrong-secret"; secret: string }
  /** `ssl_check=1` smuggled in without a valid signature for the resulting request. */
  | {
      kind: "ssl-check";
      how: "append" | "prepend" | "forged-signature" | "unsigned" | "query";
      forged: string;
    };

/**
 * The edge reads its clock after the test signed: a request timestamped 301 s ahead is 300 s
 * ahead (inside the inclusive window) once a second has passed, which a slow run (coverage on a
 * loaded machine) reaches. Future skews keep this margin; past ones only grow older.
 */
const CLOCK_SLACK_SECONDS = 10;

const skewSeconds = fc.oneof(
  fc.constantFrom(WINDOW_SECONDS + 1 + CLOCK_SLACK_SECONDS, -(WINDOW_SECONDS + 1)),
  fc.integer({ min: WINDOW_SECONDS + 1 + CLOCK_SLACK_SECONDS, max: 1_000_000_000 }),
  fc.integer({ min: -1_000_000_000, max: -(WINDOW_SECONDS + 1) }),
);

/** Every mutation kind with about equal weight. */
export const signatureMutation: fc.Arbitrary<SignatureMutation> = fc.oneof(
  fc.record({
    kind: fc.constant("body-byte" as const),
    at: fc.nat(),
    xor: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    kind: fc.constant("signature-hex" as const),
    at: fc.integer({ min: 0, max: 63 }),
    delta: fc.integer({ min: 1, max: 15 }),
  }),
  fc.constant({ kind: "signature-case" as const }),
  fc.record({
    kind: fc.constant("prefix" as const),
    // Printable, no surrounding whitespace: HTTP trims header values, so " v0=" IS "v0=".
    replacement: fc.oneof(
      fc.constantFrom("", "v1=", "V0=", "v0", "v0:", "v0==", "v00=", "=v0=", "sha256="),
      fc.stringMatching(/^[!-~]{0,4}$/).filter((s) => s !== "v0="),
    ),
  }),
  fc.record({
    kind: fc.constant("drop-header" as const),
    headers: fc.constantFrom("timestamp" as const, "signature" as const, "both" as const),
  }),
  fc.record({ kind: fc.constant("timestamp-skew" as const), seconds: skewSeconds }),
  fc.record({
    kind: fc.constant("timestamp-header" as const),
    delta: fc.integer({ min: -WINDOW_SECONDS, max: WINDOW_SECONDS }).filter((d) => d !== 0),
  }),
  fc.record({
    kind: fc.constant("timestamp-format" as const),
    render: fc.constantFrom(
      "fraction" as const,
      "leading-space" as const,
      "plus" as const,
      "hex" as const,
      "empty" as const,
    ),
  }),
  fc.record({
    kind: fc.constant("wrong-secret" as const),
    secret: fc.oneof(fc.constant(""), fc.string({ minLength: 1, maxLength: 40 })),
  }),
  fc.record({
    kind: fc.constant("ssl-check" as const),
    how: fc.constantFrom(
      "append" as const,
      "prepend" as const,
      "forged-signature" as const,
      "unsigned" as const,
      "query" as const,
    ),
    forged: fc.stringMatching(/^[0-9a-f]{64}$/),
  }),
);

const encoder = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function renderTimestamp(seconds: number, render: string): string {
  if (render === "fraction") return `${seconds}.0`;
  if (render === "leading-space") return ` ${seconds}`;
  if (render === "plus") return `+${seconds}`;
  if (render === "hex") return `0x${seconds.toString(16)}`;
  return "";
}

/**
 * Applies `mutation` to a valid `request` that was signed with `secret` at `nowSeconds`.
 * Header names in `request.headers` are lowercase.
 */
export function mutateRequest(
  request: SlackHttpRequest,
  mutation: SignatureMutation,
  secret: string,
  nowSeconds: number,
): SlackHttpRequest {
  const headers = { ...request.headers };
  const signature = headers["x-slack-signature"] ?? "";
  const resign = (timestamp: string, body = request.body, key = secret) => {
    headers["x-slack-request-timestamp"] = timestamp;
    headers["x-slack-signature"] = slackSignature(key, timestamp, body);
    return { path: request.path, body, headers };
  };
  switch (mutation.kind) {
    case "body-byte": {
      const body = request.body.slice();
      const at = mutation.at % body.byteLength;
      body[at] = (body[at] ?? 0) ^ mutation.xor;
      return { ...request, body };
    }
    case "signature-hex": {
      const at = 3 + mutation.at;
      const digit = (Number.parseInt(signature[at] ?? "0", 16) + mutation.delta) % 16;
      headers["x-slack-signature"] =
        `${signature.slice(0, at)}${digit.toString(16)}${signature.slice(at + 1)}`;
      return { ...request, headers };
    }
    case "signature-case": {
      const upper = `v0=${signature.slice(3).toUpperCase()}`;
      // A MAC of only decimal digits has no case to change (p ~ 1e-13): spoil a digit instead.
      headers["x-slack-signature"] = upper !== signature ? upper : `${signature.slice(0, -1)}x`;
      return { ...request, headers };
    }
    case "prefix":
      headers["x-slack-signature"] = `${mutation.replacement}${signature.slice(3)}`;
      return { ...request, headers };
    case "drop-header":
      if (mutation.headers !== "signature") delete headers["x-slack-request-timestamp"];
      if (mutation.headers !== "timestamp") delete headers["x-slack-signature"];
      return { ...request, headers };
    case "timestamp-skew":
      return resign(String(nowSeconds + mutation.seconds));
    case "timestamp-header":
      headers["x-slack-request-timestamp"] = String(nowSeconds + mutation.delta);
      return { ...request, headers };
    case "timestamp-format":
      return resign(renderTimestamp(nowSeconds, mutation.render));
    case "wrong-secret":
      return resign(String(nowSeconds), request.body, mutation.secret);
    case "ssl-check":
      return smuggleSslCheck(request, mutation.how, mutation.forged);
  }
}

function smuggleSslCheck(
  request: SlackHttpRequest,
  how: "append" | "prepend" | "forged-signature" | "unsigned" | "query",
  forged: string,
): SlackHttpRequest {
  const headers: Record<string, string> = {
    ...request.headers,
    "content-type": "application/x-www-form-urlencoded",
  };
  const sslBody = encoder.encode("ssl_check=1&token=unused-verification-token&");
  switch (how) {
    case "append":
      return { ...request, headers, body: concat(request.body, encoder.encode("&ssl_check=1")) };
    case "prepend":
      return { ...request, headers, body: concat(encoder.encode("ssl_check=1&"), request.body) };
    case "forged-signature":
      headers["x-slack-signature"] = `v0=${forged}`;
      return { ...request, headers, body: concat(sslBody, request.body) };
    case "unsigned":
      delete headers["x-slack-signature"];
      delete headers["x-slack-request-timestamp"];
      return { ...request, headers, body: concat(sslBody, request.body) };
    case "query": {
      // The signature covers the body only; a query flag must not change the verdict.
      const body = concat(request.body, encoder.encode(" "));
      return { path: `${request.path}?ssl_check=1`, headers, body };
    }
  }
}
