/**
 * Turning an HTTP request into a Web API call: the method name from the path, the arguments from
 * the query string and the body (form-encoded as the SDK sends, JSON, or multipart), and the
 * token from `Authorization: Bearer …` or, as Slack also allows, a `token` argument.
 */
import type { MethodArgs } from "./method-args";

/** A parsed call, or the Slack error string for a body that could not be read. */
export type ParsedRequest =
  | { ok: true; token: string | undefined; args: MethodArgs }
  | { ok: false; token: string | undefined; error: string };

/** Reads arguments and token from `request`; never throws. */
export async function parseApiRequest(request: Request): Promise<ParsedRequest> {
  const url = new URL(request.url);
  const args: MethodArgs = Object.fromEntries(url.searchParams);
  const headerToken = bearerToken(request.headers.get("authorization"));
  if (request.method === "POST") {
    const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    try {
      Object.assign(args, await readBody(request, type ?? ""));
    } catch {
      const error = type === "application/json" ? "invalid_json" : "invalid_form_data";
      return { ok: false, token: headerToken, error };
    }
  }
  const bodyToken = typeof args.token === "string" ? args.token : undefined;
  delete args.token;
  return { ok: true, token: headerToken ?? bodyToken, args };
}

async function readBody(request: Request, type: string): Promise<MethodArgs> {
  if (type === "application/json") {
    const text = await request.text();
    if (text.trim() === "") return {};
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new TypeError("JSON body must be an object");
    }
    return parsed as MethodArgs;
  }
  if (type === "multipart/form-data") {
    const form = await request.formData();
    const args: MethodArgs = {};
    for (const [key, value] of form) args[key] = typeof value === "string" ? value : value.name;
    return args;
  }
  // Slack treats anything else as form encoding, which is also what the SDK sends.
  return Object.fromEntries(new URLSearchParams(await request.text()));
}

function bearerToken(header: string | null): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
