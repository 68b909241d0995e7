/**
 * A gate between the edge and core for tests: a small HTTP proxy that answers 503 for the
 * bodies a test picks, so the edge keeps exactly those in its fallback queue until the test
 * lets them through; everything else passes on unchanged (the edge signed those exact bytes).
 */

/** One request the gate saw: refused (503 from the gate) or passed on with core's status. */
export interface GateRecord {
  body: string;
  status: number;
  passed: boolean;
}

/** An HTTP proxy in front of core that refuses the bodies `refuse` picks. */
export interface Gate {
  url: string;
  /** Bodies for which this answers true get a 503 (core never sees them); undefined: none. */
  refuse: ((body: string) => boolean) | undefined;
  readonly seen: GateRecord[];
  stop(): void;
}

/** Starts a gate forwarding to `target` (core's origin). */
export function startGate(target: string): Gate {
  const seen: GateRecord[] = [];
  const gate: Gate = {
    url: "",
    refuse: undefined,
    seen,
    stop: () => server.stop(true),
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = await request.text();
      if (gate.refuse?.(body)) {
        seen.push({ body, status: 503, passed: false });
        return Response.json({ error: "refused by the test gate" }, { status: 503 });
      }
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      for (const name of ["host", "content-length"]) headers.delete(name);
      // The edge signed these exact bytes: they go on unchanged.
      const answer = await fetch(`${target}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body,
      });
      const bytes = await answer.arrayBuffer();
      seen.push({ body, status: answer.status, passed: true });
      const back = new Headers(answer.headers);
      for (const name of ["content-encoding", "content-length", "transfer-encoding"]) {
        back.delete(name);
      }
      return new Response(bytes, { status: answer.status, headers: back });
    },
  });
  gate.url = `http://127.0.0.1:${server.port}`;
  return gate;
}
