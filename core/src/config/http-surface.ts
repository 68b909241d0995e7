/**
 * What core exposes and to whom: the address it binds (HOST) and the bearer token guarding
 * `/metrics` and `/health` (PUP_METRICS_TOKEN). Development binds loopback and leaves the
 * operator pages open; a deployment must choose its address on purpose, and production must
 * guard them (ADR-026).
 */
import { optional, secret, type ValueParser } from "./fields";

/** Where development binds when HOST is unset: only this machine can reach core. */
export const DEVELOPMENT_HOST = "127.0.0.1";
/** Shorter tokens could be guessed by a scraper that is allowed to retry. */
export const METRICS_TOKEN_MIN_LENGTH = 16;

/** An IP address or host name to bind; no scheme, no port. */
const bindAddress: ValueParser<string> = {
  expects: "an address to bind, e.g. 127.0.0.1, or 0.0.0.0 in a container",
  parse: (raw) =>
    /^[A-Za-z0-9.:[\]-]+$/.test(raw) && !raw.includes("//")
      ? { ok: true, value: raw }
      : { ok: false, problem: `must be an address to bind (e.g. 127.0.0.1 or 0.0.0.0)` },
};

export const httpSurfaceEntries = {
  HOST: optional(bindAddress),
  PUP_METRICS_TOKEN: optional(secret(METRICS_TOKEN_MIN_LENGTH)),
};

export interface HttpSurfaceConfig {
  /** The address core binds. */
  host: string;
  /** When set, `/metrics` and `/health` need `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
}

/** HOST's problem outside development (core.ts checks it beside the other cross-field rules). */
export const HOST_REQUIRED =
  "required when PUP_ENV is staging or production: the address core binds (0.0.0.0 in a " +
  "container, so the edge can reach it; 127.0.0.1 behind a proxy on the same host)";

/** PUP_METRICS_TOKEN's problem in production. */
export const METRICS_TOKEN_REQUIRED =
  `required when PUP_ENV is production (at least ${METRICS_TOKEN_MIN_LENGTH} characters): ` +
  "/metrics and /health need it as a bearer token";

export function toHttpSurfaceConfig(input: {
  HOST: string | undefined;
  PUP_METRICS_TOKEN: string | undefined;
}): HttpSurfaceConfig {
  return { host: input.HOST ?? DEVELOPMENT_HOST, metricsToken: input.PUP_METRICS_TOKEN };
}
