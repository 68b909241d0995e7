/**
 * Slack's request signature check as one pure function over the raw body: `v0=` + hex
 * HMAC-SHA256 of `v0:{timestamp}:{body}` with the app's signing secret, compared in constant
 * time by `crypto.subtle.verify` (available in workerd and Bun alike), within a 5-minute window
 * in both directions so neither old captures nor pre-signed future requests can be replayed.
 */

/** How far a request's timestamp may be from now, either way, in seconds. */
export const SLACK_SIGNATURE_WINDOW_SECONDS = 300;

/** Why a request was refused; logged, never sent back. */
export type SlackSignatureRejection =
  | "no_secret"
  | "missing_timestamp"
  | "malformed_timestamp"
  | "stale_timestamp"
  | "future_timestamp"
  | "missing_signature"
  | "malformed_signature"
  | "signature_mismatch";

export type SlackSignatureCheck = { ok: true } | { ok: false; reason: SlackSignatureRejection };

export interface SlackSignatureInput {
  /** The app's signing secret; empty means nothing can verify. */
  secret: string;
  /** `X-Slack-Request-Timestamp`, seconds since the epoch as decimal text. */
  timestamp: string | null | undefined;
  /** `X-Slack-Signature`, `v0=` followed by 64 lowercase hex digits. */
  signature: string | null | undefined;
  /** The body exactly as received (bytes, or text that encodes to those bytes as UTF-8). */
  body: Uint8Array | string;
  /** Now, in seconds since the epoch. */
  nowSeconds: number;
}

// Lowercase only: Slack sends lowercase, and accepting both would let a changed letter case pass
// as a different-looking yet valid signature.
const SIGNATURE_PATTERN = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
const encoder = new TextEncoder();

// Importing an HMAC key costs more than the HMAC itself, so keys are memoised per secret. A
// CryptoKey is not an I/O object, so sharing it across requests is allowed in workerd. Bounded
// because secrets rotate: a stale one must not pin memory forever.
const MAX_CACHED_KEYS = 8;
const keys = new Map<string, Promise<CryptoKey>>();

function signingKey(secret: string): Promise<CryptoKey> {
  const cached = keys.get(secret);
  if (cached) return cached;
  if (keys.size >= MAX_CACHED_KEYS) keys.clear();
  const imported = crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  keys.set(secret, imported);
  imported.catch(() => keys.delete(secret));
  return imported;
}

/** The value of one lowercase hex digit's character code (already checked against the pattern). */
function hexValue(code: number): number {
  return code <= 57 ? code - 48 : code - 87; // '0'-'9' are 48-57, 'a'-'f' are 97-102
}

/**
 * Decodes the 64 hex digits after `v0=` (already checked against the pattern). Character codes,
 * not `parseInt` over 32 substrings: this runs on every request.
 */
function signatureBytes(signature: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(32);
  for (let index = 0, at = 3; index < 32; index += 1, at += 2) {
    bytes[index] =
      (hexValue(signature.charCodeAt(at)) << 4) | hexValue(signature.charCodeAt(at + 1));
  }
  return bytes;
}

/**
 * `v0:{timestamp}:` followed by the body bytes, in one buffer. The timestamp is ASCII digits
 * (checked against its pattern), so the prefix is written byte by byte instead of through a
 * TextEncoder call and a second copy.
 */
function signedBase(timestamp: string, body: Uint8Array | string): Uint8Array<ArrayBuffer> {
  if (typeof body === "string") return encoder.encode(`v0:${timestamp}:${body}`);
  const prefixLength = timestamp.length + 4;
  const base = new Uint8Array(prefixLength + body.byteLength);
  base[0] = 0x76; // v
  base[1] = 0x30; // 0
  base[2] = 0x3a; // :
  for (let index = 0; index < timestamp.length; index += 1) {
    base[3 + index] = timestamp.charCodeAt(index);
  }
  base[prefixLength - 1] = 0x3a; // :
  base.set(body, prefixLength);
  return base;
}

/**
 * Checks one request's Slack signature. Cheap checks (headers, window) run before any crypto,
 * so junk costs almost nothing.
 *
 * @returns `{ ok: true }`, or `{ ok: false, reason }` naming the first problem found.
 */
export async function verifySlackSignature(
  input: SlackSignatureInput,
): Promise<SlackSignatureCheck> {
  const { secret, timestamp, signature, body, nowSeconds } = input;
  if (secret.length === 0) return { ok: false, reason: "no_secret" };
  if (!timestamp) return { ok: false, reason: "missing_timestamp" };
  if (!TIMESTAMP_PATTERN.test(timestamp)) return { ok: false, reason: "malformed_timestamp" };
  const age = Math.floor(nowSeconds) - Number(timestamp);
  if (age > SLACK_SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: "stale_timestamp" };
  if (age < -SLACK_SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: "future_timestamp" };
  if (!signature) return { ok: false, reason: "missing_signature" };
  if (!SIGNATURE_PATTERN.test(signature)) return { ok: false, reason: "malformed_signature" };

  const key = await signingKey(secret);
  const matches = await crypto.subtle.verify(
    "HMAC",
    key,
    signatureBytes(signature),
    signedBase(timestamp, body),
  );
  return matches ? { ok: true } : { ok: false, reason: "signature_mismatch" };
}
