// OpenAI's error envelope, `{ error: { message, type, param, code } }`, which the `openai` SDK
// reads to build its typed errors (AuthenticationError, RateLimitError, ...).

/** The `error` object of an OpenAI error body. */
export interface OpenAIErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** Builds a JSON error response in OpenAI's shape. */
export function errorResponse(
  status: number,
  error: Partial<OpenAIErrorBody> & { message: string },
  headers: Record<string, string> = {},
): Response {
  const body: { error: OpenAIErrorBody } = {
    error: {
      message: error.message,
      type: error.type ?? "invalid_request_error",
      param: error.param ?? null,
      code: error.code ?? null,
    },
  };
  return Response.json(body, { status, headers });
}

/** A 400 for a request the fake (like OpenAI) refuses; `param` names the offending field. */
export function invalidRequest(message: string, param: string | null = null): Response {
  return errorResponse(400, { message, param, code: "invalid_value" });
}

/** Thrown by validators so route handlers can stay linear; the router turns it into a 400. */
export class InvalidRequestError extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = "InvalidRequestError";
  }
}
