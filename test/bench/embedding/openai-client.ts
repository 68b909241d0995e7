/**
 * Starts openai-process.ts in a child `bun` and talks to it over stdin/stdout: its URL and key,
 * and the count of embedding requests and inputs it has answered.
 */
import { join } from "node:path";

export interface OpenAiProcess {
  url: string;
  apiKey: string;
  stats(): Promise<{ requests: number; inputs: number }>;
  stop(): Promise<void>;
}

export async function startOpenAiProcess(dimensions: number): Promise<OpenAiProcess> {
  const child = Bun.spawn({
    cmd: [process.execPath, join(import.meta.dir, "openai-process.ts"), String(dimensions)],
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    for (;;) {
      const newline = buffered.indexOf("\n");
      if (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("the OpenAI server process ended");
      buffered += decoder.decode(value, { stream: true });
    }
  };
  const { url, apiKey } = JSON.parse(await nextLine()) as { url: string; apiKey: string };
  return {
    url,
    apiKey,
    async stats() {
      child.stdin.write("stats\n");
      child.stdin.flush();
      return JSON.parse(await nextLine()) as { requests: number; inputs: number };
    },
    async stop() {
      child.stdin.end();
      await Promise.race([child.exited, Bun.sleep(3000)]);
      child.kill();
    },
  };
}
