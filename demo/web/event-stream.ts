/**
 * `GET /events`: the workspace's changes as server-sent events, one JSON `WorkspaceEvent` per
 * `data:` line, so the page redraws live as pup posts, streams, updates and reacts. A comment
 * line every 15 s keeps idle connections (and proxies) from timing out.
 */
import type { EventHub } from "../local-slack/event-hub";
import type { WorkspaceEvent } from "../local-slack/index";

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

/** What the page additionally learns besides workspace changes. */
export type PageEvent = WorkspaceEvent | { type: "delivery_failed"; detail: string; user: string };

/** An open SSE response following `events` until the client goes away. */
export function eventStreamResponse(events: EventHub<PageEvent>, signal: AbortSignal): Response {
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      // Tells the browser how soon to reconnect, and opens the stream at once.
      send("retry: 1000\n: connected\n\n");
      const unsubscribe = events.subscribe((event) => send(`data: ${JSON.stringify(event)}\n\n`));
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      signal.addEventListener("abort", () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    },
  });
}
