// Keeps every request the fake server received, in arrival order, so tests can assert what the
// code under test actually sent (model, messages, dimensions, headers) rather than trusting it.

/** One request as the fake server saw it. The API key never appears in `headers`. */
export interface RecordedRequest<Body = unknown> {
  method: string;
  /** Path without the origin, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lowercased header names; `authorization` is removed so keys cannot leak into snapshots. */
  headers: Record<string, string>;
  /** The parsed JSON body, as sent (not validated); undefined for GET or an unparsable body. */
  body: Body;
  /** Epoch milliseconds when the request arrived. */
  receivedAt: number;
  /** HTTP status of the answer; undefined while the request is still being handled. */
  status: number | undefined;
  /** Kinds of injected faults applied to this request, in order. */
  faults: string[];
}

const HIDDEN_HEADERS = new Set(["authorization", "api-key", "cookie"]);

/** Append-only log of requests, cleared by `reset()`. */
export class RequestRecorder {
  readonly #requests: RecordedRequest[] = [];

  /** Adds a request to the log and returns the entry so the router can fill in the outcome. */
  record(request: Request, path: string, body: unknown): RecordedRequest {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!HIDDEN_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    });
    const entry: RecordedRequest = {
      method: request.method,
      path,
      headers,
      body,
      receivedAt: Date.now(),
      status: undefined,
      faults: [],
    };
    this.#requests.push(entry);
    return entry;
  }

  /** Every request so far (a copy: later requests do not change it). */
  all(): RecordedRequest[] {
    return [...this.#requests];
  }

  /** Requests to one path, typed by the caller. */
  byPath<Body>(path: string): RecordedRequest<Body>[] {
    return this.#requests.filter((entry) => entry.path === path) as RecordedRequest<Body>[];
  }

  clear(): void {
    this.#requests.length = 0;
  }
}
