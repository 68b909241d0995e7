/**
 * The local OpenAI server in a process of its own, so its work (computing and encoding vectors)
 * does not compete with the measured worker, as a real model server would not. Prints
 * `{"url","apiKey"}` as its first stdout line; on each stdin line `stats` prints
 * `{"requests","inputs"}` for the embedding requests so far; exits when stdin closes.
 */
import { startFakeOpenAI } from "../../fakes/openai";

const fake = await startFakeOpenAI({ embeddingDimensions: Number(process.argv[2] ?? 512) });
process.stdout.write(`${JSON.stringify({ url: fake.url, apiKey: fake.apiKey })}\n`);

const decoder = new TextDecoder();
let pending = "";
for await (const chunk of process.stdin) {
  pending += decoder.decode(chunk as Uint8Array, { stream: true });
  let newline = pending.indexOf("\n");
  while (newline !== -1) {
    const command = pending.slice(0, newline).trim();
    pending = pending.slice(newline + 1);
    if (command === "stats") {
      const requests = fake.embeddingRequests();
      const inputs = requests.reduce((sum, request) => {
        const input = request.body.input;
        return sum + (Array.isArray(input) ? input.length : 1);
      }, 0);
      process.stdout.write(`${JSON.stringify({ requests: requests.length, inputs })}\n`);
    }
    newline = pending.indexOf("\n");
  }
}
await fake.stop();
