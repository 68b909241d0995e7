/**
 * Uploads a large body over a raw socket, 64 KiB at a time, and stops as soon as the server
 * answers, to see whether a server refuses an oversized body before reading it whole. fetch
 * cannot show that: it reports an early answer to an unfinished upload as a connection reset.
 */
import { connect } from "node:net";

export interface RawUploadResult {
  /** The HTTP status of the answer, or NaN when none came. */
  status: number;
  /** Body bytes written before the answer arrived. */
  sentBytes: number;
}

const PIECE = 0x10000;

/**
 * POSTs `totalBytes` of filler to `origin + path`, framed by a declared Content-Length or as
 * chunked transfer encoding (no length), and returns when the server answers or gives up.
 */
export async function rawUpload(
  origin: string,
  path: string,
  headers: Record<string, string>,
  options: { totalBytes: number; framing: "content-length" | "chunked" },
): Promise<RawUploadResult> {
  const { hostname, port, host } = new URL(origin);
  const socket = connect(Number(port), hostname);
  let answer = "";
  const answered = new Promise<void>((resolve) => {
    socket.on("data", (data) => {
      answer += data.toString();
      resolve();
    });
    socket.on("close", () => resolve());
    socket.on("error", () => resolve());
  });
  await new Promise((resolve) => socket.once("connect", resolve));

  const framing =
    options.framing === "chunked"
      ? { "transfer-encoding": "chunked" }
      : { "content-length": String(options.totalBytes) };
  const head = Object.entries({ ...headers, host, ...framing })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);

  const filler = "x".repeat(PIECE);
  const piece = options.framing === "chunked" ? `${PIECE.toString(16)}\r\n${filler}\r\n` : filler;
  let sentBytes = 0;
  while (sentBytes < options.totalBytes && answer === "" && !socket.destroyed) {
    const flushed = socket.write(piece);
    sentBytes += PIECE;
    // A server that stopped reading never drains: wait for the answer, too, and not forever.
    const drained = flushed
      ? Bun.sleep(2)
      : new Promise((resolve) => socket.once("drain", resolve));
    await Promise.race([drained, answered, Bun.sleep(1000)]);
  }
  await Promise.race([answered, Bun.sleep(2000)]);
  socket.destroy();
  return { status: Number(answer.split(" ")[1]), sentBytes };
}
