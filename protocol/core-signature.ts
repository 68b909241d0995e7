/**
 * Signs and verifies edge -> core requests (`POST /internal/slack`) with CORE_SHARED_SECRET.
 *
 * Scheme: `x-pup-signature: v1=<hex HMAC-SHA256 over "v1:{timestamp}:{body}">` with the Unix
 * timestamp in `x-pup-timestamp`. Web-standard only (crypto.subtle), so the same file runs in
 * workerd (the edge) and in Bun (core). Verification uses `crypto.subtle.verify`, which compares
 * in constant time in both runtimes (`timingSafeEqual` does not exist in Bun).
 */

export const CORE_TIMESTAMP_HEADER = "x-pup-timestamp";
export const CORE_SIGNATURE_HEADER = "x-pup-signature";
/** Accepted clock difference, in seconds, in either direction. */
export const CORE_SIGNATURE_WINDOW_SECONDS = 300;

const VERSION = "v1";
const encoder = new TextEncoder();

/**
 * Imported keys by secret. Importing a key costs more than the HMAC itself, so each secret is
 * imported once per isolate/process; the map holds the promise so concurrent first calls share it.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keys.set(secret, key);
  }
  return key;
}

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Parses lowercase or uppercase hex of an exact byte length; undefined when malformed. */
function fromHex(hex: string, byteLength: number): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length !== byteLength * 2 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(byteLength);
  for (let i = 0; i < byteLength; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function signedText(timestamp: string, body: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${VERSION}:${timestamp}:${body}`);
}

/** The headers that authenticate one request from the edge to core. */
// A type alias, not an interface, so it also fits where a plain header record is expected.
export type CoreSignatureHeaders = {
  [CORE_TIMESTAMP_HEADER]: string;
  [CORE_SIGNATURE_HEADER]: string;
};

/**
 * Signs `body` (the exact bytes that will be sent) for core.
 *
 * @param nowSeconds the current Unix time in seconds (passed in so callers and tests own the clock)
 * @returns headers to add to the request
 */
export async function signCoreRequest(
  secret: string,
  body: string,
  nowSeconds: number,
): Promise<CoreSignatureHeaders> {
  const timestamp = String(Math.floor(nowSeconds));
  const mac = await crypto.subtle.sign("HMAC", await keyFor(secret), signedText(timestamp, body));
  return {
    [CORE_TIMESTAMP_HEADER]: timestamp,
    [CORE_SIGNATURE_HEADER]: `${VERSION}=${toHex(mac)}`,
  };
}

export type CoreSignatureResult =
  | { ok: true }
  | {
      ok: false;
      /** For logs only; callers answer every failure the same way (401, no detail). */
      reason: "missing_headers" | "malformed" | "stale" | "future" | "mismatch";
    };

/** Minimal header access, satisfied by `Headers` and by a plain record of lowercase names. */
export type HeaderSource = Headers | Record<string, string | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return headers[name];
}

/**
 * Verifies a request signed by {@link signCoreRequest}.
 *
 * @param body the raw request body, exactly as received, before any parsing
 * @param nowSeconds the current Unix time in seconds
 * @param windowSeconds how far the timestamp may be from now, in the past or the future
 */
export async function verifyCoreRequest(
  secret: string,
  headers: HeaderSource,
  body: string,
  nowSeconds: number,
  windowSeconds: number = CORE_SIGNATURE_WINDOW_SECONDS,
): Promise<CoreSignatureResult> {
  const timestamp = header(headers, CORE_TIMESTAMP_HEADER);
  const signature = header(headers, CORE_SIGNATURE_HEADER);
  if (!timestamp || !signature) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(timestamp) || !signature.startsWith(`${VERSION}=`)) {
    return { ok: false, reason: "malformed" };
  }
  const age = Math.floor(nowSeconds) - Number(timestamp);
  if (age > windowSeconds) return { ok: false, reason: "stale" };
  if (age < -windowSeconds) return { ok: false, reason: "future" };
  const mac = fromHex(signature.slice(VERSION.length + 1), 32);
  if (!mac) return { ok: false, reason: "malformed" };
  const valid = await crypto.subtle.verify(
    "HMAC",
    await keyFor(secret),
    mac,
    signedText(timestamp, body),
  );
  return valid ? { ok: true } : { ok: false, reason: "mismatch" };
}
