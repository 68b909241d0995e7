import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { filterText, type OutputPolicy, REDACTED } from "./output-filter";
import { OutputStreamFilter, safeCut } from "./output-stream";

const BOT_TOKEN = ["xox", "b-", "1234567890-0987654321-AbCdEfGhIjKlMnOp"].join("");
const CANARY = "pup-canary-00112233445566778899aabbccddeeff";
const policy: OutputPolicy = { allowedHosts: ["slack.com"], secrets: [CANARY] };

const TEXTS = [
  "<!channel> <https://evil.example/login|slack.com/standup> is where we meet",
  `Sure! The token is ${BOT_TOKEN} and my marker is ${CANARY}. @here enjoy`,
  "Read [the slack.com guide](https://evil.example/guide) or https://slack.com/help today.",
  "Code:\n```\nconst url = 'evil.example';\n```\nand `package.json` but evil.example too",
  "a < b and c > d, <!here|here> then <@U0ALICE001> and <#C0GENERAL|general>",
];

/** What the stream releases when `text` arrives in pieces cut at `cuts`. */
function streamed(text: string, cuts: number[]): string {
  const filter = new OutputStreamFilter(policy);
  let out = "";
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out += filter.push(text.slice(at, cut));
    at = cut;
  }
  return out + filter.push(text.slice(at)) + filter.flush();
}

describe("the output filter over a stream", () => {
  test("a mention and a token split across appends are still caught", () => {
    const filter = new OutputStreamFilter(policy);
    const released = [
      filter.push("hi <!chan"),
      filter.push("nel> the key is xox"),
      filter.push(`${BOT_TOKEN.slice(3, 12)}`),
      filter.push(`${BOT_TOKEN.slice(12)} bye`),
      filter.flush(),
    ];
    expect(released.join("")).toBe(`hi @\u2060channel the key is ${REDACTED} bye`);
    // Nothing was released that a later piece could have turned into a mention or a token.
    expect(released[0]).toBe("hi ");
    expect(released.join("")).not.toContain("xox");
  });

  test("however a text is cut into pieces, the stream sends what filtering it whole sends", () => {
    for (const text of TEXTS) {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }),
          (cuts) => {
            expect(streamed(text, cuts)).toBe(filterText(text, policy));
          },
        ),
        { numRuns: 300 },
      );
    }
  });

  test("one character at a time, too", () => {
    for (const text of TEXTS) {
      const everyCharacter = Array.from({ length: text.length }, (_, i) => i);
      expect(streamed(text, everyCharacter)).toBe(filterText(text, policy));
    }
  });

  test("text is released word by word, not held to the end", () => {
    const filter = new OutputStreamFilter(policy);
    expect(filter.push("Woof, your cat ")).toBe("Woof, your cat ");
    expect(filter.push("is called Mi")).toBe("is called ");
    expect(filter.flush()).toBe("Mi");
  });

  test("safe cuts never fall inside an entity, a link's label or inline code", () => {
    expect(safeCut("see <https://x.example|a label")).toBe(4);
    expect(safeCut("see [a label](https://x")).toBe(4);
    expect(safeCut("run `npm install` now ")).toBe(22);
    expect(safeCut("run `npm install")).toBe(4);
    expect(safeCut("line one\nline <two")).toBe(14);
  });
});
