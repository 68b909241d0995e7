import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import pino from "pino";
import { SlackCallError } from "../../ports/slack-errors";
import { postToResponseUrl, responseUrlOrigins, SLACK_HOOKS_ORIGIN } from "./response-url";

const quiet = pino({ enabled: false });
let hits = 0;
let server: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch() {
      hits += 1;
      return new Response("ok");
    },
  });
});
afterAll(() => server.stop(true));

describe("responseUrlOrigins", () => {
  test("Slack's hooks and SLACK_API_URL's origin, nothing else", () => {
    expect(responseUrlOrigins("http://127.0.0.1:9999/api/")).toEqual([
      SLACK_HOOKS_ORIGIN,
      "http://127.0.0.1:9999",
    ]);
    expect(responseUrlOrigins("https://slack.com/api/")).toEqual([
      SLACK_HOOKS_ORIGIN,
      "https://slack.com",
    ]);
    expect(responseUrlOrigins("not a url")).toEqual([SLACK_HOOKS_ORIGIN]);
  });
});

describe("postToResponseUrl", () => {
  const allowed = () => [`http://127.0.0.1:${server.port}`];

  test("posts to an allowed origin", async () => {
    const before = hits;
    await postToResponseUrl(
      `http://127.0.0.1:${server.port}/respond/1`,
      "hi",
      { allowedOrigins: allowed(), timeoutMs: 2000 },
      quiet,
    );
    expect(hits).toBe(before + 1);
  });

  // Same server, other spellings of its origin: none is the allowed one, so nothing is sent.
  for (const spelling of [
    (port: number) => `http://localhost:${port}/respond/1`,
    (port: number) => `https://127.0.0.1:${port}/respond/1`,
    (port: number) => `http://127.0.0.1:${port + 1}/respond/1`,
  ]) {
    test(`refuses ${spelling(0)} before sending anything`, async () => {
      const before = hits;
      const sent = postToResponseUrl(
        spelling(server.port ?? 0),
        "hi",
        { allowedOrigins: allowed(), timeoutMs: 2000 },
        quiet,
      );
      await expect(sent).rejects.toMatchObject({
        slackError: "origin_not_allowed",
        ambiguous: false,
      });
      await sent.catch((error) => expect(error).toBeInstanceOf(SlackCallError));
      expect(hits).toBe(before);
    });
  }
});
