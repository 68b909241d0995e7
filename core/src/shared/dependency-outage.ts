/**
 * "A dependency is down" as opposed to "this job failed". A job that meets a PostgreSQL or model
 * outage would fail the same way on every attempt until the outage ends, so spending its
 * attempts on it (3 by default, seconds apart) would fail thousands of good jobs in a 10-minute
 * outage. The job runner asks this function and, for an outage, puts the job back to wait
 * without counting an attempt (ADR-027). Errors are recognised by code along the cause chain,
 * so no technology package is imported here.
 */

/** pup's own codes for "the thing I need did not answer". */
const PUP_OUTAGE_CODES = new Set([
  "dependency_unavailable",
  "model_unavailable",
  "queue_unavailable",
]);

/**
 * Connection-level codes from Node's sockets and postgres.js, and PostgreSQL's SQLSTATE classes
 * for "cannot serve now": 08 (connection exception), 57P01-57P03 (shut down, cannot connect
 * now) and 53300 (too many connections).
 */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Whether `error`, or anything in its cause chain, says a dependency is unreachable. */
export function isDependencyOutage(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    const code = codeOf(current);
    if (code !== undefined) {
      if (PUP_OUTAGE_CODES.has(code) || CONNECTION_CODES.has(code)) return true;
      if (code.startsWith("08")) return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
