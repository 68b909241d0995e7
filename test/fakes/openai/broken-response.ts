// Responses that break off mid-way, the way a dropped network connection looks to a client:
// the status and some bytes arrive, then the socket is reset. Used by the broken-stream fault.

/** A 200 JSON response whose connection drops after half of `json` has been sent. */
export function brokenBody(json: string): Response {
  const bytes = new TextEncoder().encode(json);
  let sentHalf = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sentHalf) return await dropConnection(controller);
      controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
      sentHalf = true;
    },
  });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

/** How long the bytes sent so far get to leave Bun's write buffer before the socket is reset. */
const FLUSH_BEFORE_DROP_MS = 20;

/**
 * Erroring the body makes Bun reset the socket, which is what a real mid-response network
 * failure looks like to the client. Bun holds back the headers and first chunks briefly, so
 * the drop waits a moment; otherwise the client would see a refused request, not a broken one.
 * The reason is deliberately undefined: Bun prints an Error reason with its stack to stderr,
 * which would read like a real failure in the test log.
 */
export async function dropConnection(
  controller: ReadableStreamDefaultController<Uint8Array>,
): Promise<void> {
  await Bun.sleep(FLUSH_BEFORE_DROP_MS);
  controller.error(undefined);
}
