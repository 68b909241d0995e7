/**
 * W3C trace context for forwarded deliveries. Slack sends none, so the edge starts a trace per
 * delivery; core and the workers continue it, and a queued payload keeps the same trace.
 */

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A new sampled `traceparent`: `00-<32 hex trace id>-<16 hex span id>-01`. */
export function createTraceparent(): string {
  // All-zero ids are invalid in W3C trace context; 16 random bytes are never that in practice,
  // but the check costs nothing.
  let traceId = randomHex(16);
  while (/^0+$/.test(traceId)) traceId = randomHex(16);
  let spanId = randomHex(8);
  while (/^0+$/.test(spanId)) spanId = randomHex(8);
  return `00-${traceId}-${spanId}-01`;
}

const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Whether `value` is a well-formed version-00 `traceparent`. */
export function isTraceparent(value: string): boolean {
  return TRACEPARENT.test(value);
}
