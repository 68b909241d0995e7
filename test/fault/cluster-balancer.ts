/**
 * A round-robin HTTP balancer for the fault tests: the edge knows one CORE_URL, as in a
 * deployment where a load balancer sits in front of several core processes. Each request goes
 * to the next core in turn, body and headers byte for byte (the edge's signature covers the
 * body); a core that cannot be reached answers 502, as a real balancer would, and the edge
 * keeps the payload. Counts what each core was sent and answered.
 */

export interface Balancer {
  url: string;
  /** Per core (in the order given): requests sent and their answers by status. */
  shares(): { target: string; requests: number; statuses: Record<number, number> }[];
  stop(): Promise<void>;
}

/** Headers a proxy must not pass on (hop-by-hop, or recomputed by fetch). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host"]);

export function startBalancer(targets: string[]): Balancer {
  if (targets.length === 0) throw new Error("a balancer needs at least one core");
  const counts = targets.map((target) => ({
    target,
    requests: 0,
    statuses: {} as Record<number, number>,
  }));
  let next = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const index = next;
      next = (next + 1) % targets.length;
      const share = counts[index];
      if (!share) throw new Error(`no core at ${index}`);
      share.requests += 1;
      const incoming = new URL(request.url);
      const headers = new Headers();
      for (const [name, value] of request.headers) {
        if (!HOP_BY_HOP.has(name.toLowerCase())) headers.set(name, value);
      }
      const body = request.method === "GET" ? undefined : await request.arrayBuffer();
      const response = await fetch(`${share.target}${incoming.pathname}${incoming.search}`, {
        method: request.method,
        headers,
        body,
      }).catch(() => new Response("core unreachable", { status: 502 }));
      share.statuses[response.status] = (share.statuses[response.status] ?? 0) + 1;
      // Read whole so the core's connection is released before the edge sees the answer.
      const answer = await response.arrayBuffer();
      // fetch already undid any content encoding, so its length and encoding no longer hold.
      const answerHeaders = new Headers(response.headers);
      answerHeaders.delete("content-encoding");
      answerHeaders.delete("content-length");
      return new Response(answer, { status: response.status, headers: answerHeaders });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    shares: () => counts.map((share) => ({ ...share, statuses: { ...share.statuses } })),
    stop: () => server.stop(true),
  };
}
