/**
 * The demo page as the benchmark drives it: posting through `/ui/message` (as the page's own
 * script does) and following `/events`, the live feed the page redraws from.
 */

const ALICE = "U0DEMOALICE";
const PUP = "U0DEMOPUP1";
const now = () => Bun.nanoseconds() / 1e6;

/** The run's page token, read from the page as its script reads it (demo/web/page-guard.ts). */
const tokens = new Map<number, Promise<string>>();
function pageToken(port: number): Promise<string> {
  let token = tokens.get(port);
  if (!token) {
    token = fetch(`http://127.0.0.1:${port}/`)
      .then((response) => response.text())
      .then((html) => /name="pup-demo-token" content="([0-9a-f]+)"/.exec(html)?.[1] ?? "");
    tokens.set(port, token);
  }
  return token;
}

/** Follows the page's live feed and resolves when pup's reply in `threadTs` first shows text. */
export function followPage(port: number) {
  const waiting = new Map<string, (at: number) => void>();
  /** When pup's first reply with text showed, per thread: it may come before the post's answer. */
  const shown = new Map<string, number>();
  const controller = new AbortController();
  const opened = pageToken(port).then((token) =>
    fetch(`http://127.0.0.1:${port}/events?token=${token}`, { signal: controller.signal }),
  );
  const reading = opened.then(async (response) => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body ?? []) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const data = buffer.slice(0, end).match(/^data: (.*)$/m)?.[1];
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (!data) continue;
        const event = JSON.parse(data) as {
          message?: { user?: string; thread_ts?: string; text?: string };
        };
        const message = event.message;
        if (message?.user !== PUP || !message.thread_ts || !message.text) continue;
        if (shown.has(message.thread_ts)) continue;
        shown.set(message.thread_ts, now());
        waiting.get(message.thread_ts)?.(now());
      }
    }
  });
  reading.catch(() => {});
  return {
    opened,
    /** When pup's reply in `threadTs` showed (now, or once it does). */
    replyTo(threadTs: string): Promise<number> {
      const at = shown.get(threadTs);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve) => waiting.set(threadTs, resolve));
    },
    close: () => controller.abort(),
  };
}

/** Posts as Alice through the page; the answer comes once the edge and core accepted it. */
export async function postAsAlice(port: number, channel: string, text: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/ui/message`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-pup-demo-token": await pageToken(port) },
    body: JSON.stringify({ user: ALICE, channel, text }),
  });
  const body = (await response.json()) as { ok: boolean; ts?: string; error?: string };
  if (!body.ok || !body.ts) throw new Error(`posting failed: ${body.error}`);
  return body.ts;
}
