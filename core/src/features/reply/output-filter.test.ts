import { describe, expect, test } from "bun:test";
import { filterText, type OutputPolicy, REDACTED } from "./output-filter";

// Token shapes built at run time, so no scanner mistakes this file for a leak.
const BOT_TOKEN = ["xox", "b-", "1234567890-0987654321-AbCdEfGhIjKlMnOp"].join("");
const USER_TOKEN = ["xox", "p-", "11111111-22222222-abcdefabcdef"].join("");
const APP_TOKEN = ["xa", "pp-", "1-A0123456-0123456789-abcdef"].join("");
const ROTATING = ["xox", "e.xox", "p-1-Mi0yLTEyMzQ1Njc4OTAx"].join("");
const OPENAI_KEY = ["s", "k-proj-", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"].join("");
const SHARED_SECRET = "edge-and-core-share-this-0123456789abcdef";
const CANARY = "pup-canary-00112233445566778899aabbccddeeff";

const policy: OutputPolicy = {
  allowedHosts: ["slack.com", "docs.example.org"],
  secrets: [SHARED_SECRET, CANARY, "short"],
};
const WJ = "\u2060";

/** [what it is, what the model said, what Slack is sent]. */
const CASES: [string, string, string][] = [
  [
    "the reproduced post: a mass mention and a link lying about its host",
    "<!channel> <https://evil.example/login|slack.com/standup>",
    `@${WJ}channel slack.com/standup (evil[.]example, link removed)`,
  ],
  ["<!here>", "hey <!here> look", `hey @${WJ}here look`],
  ["<!here|here>", "<!here|here>", `@${WJ}here`],
  ["<!everyone>", "<!everyone>!", `@${WJ}everyone!`],
  ["a user group", "ping <!subteam^S0123ABC|@oncall>", `ping @${WJ}oncall`],
  ["a user group without a label", "<!subteam^S0123ABC>", `@${WJ}group`],
  [
    "plain @here and @channel",
    "@here and @channel and @Everyone",
    `@${WJ}here and @${WJ}channel and @${WJ}Everyone`,
  ],
  ["an email address is not a mention", "write to ops@here.example", "write to ops@here.example"],
  ["a date command keeps its fallback", "<!date^1392734382^{date}|Feb 18>", "Feb 18"],
  ["a user mention stays", "thanks <@U0ALICE001>", "thanks <@U0ALICE001>"],
  ["a channel mention stays", "see <#C0GENERAL|general>", "see <#C0GENERAL|general>"],
  [
    "an allowed masked link shows its host",
    "<https://acme.slack.com/archives/C1/p1|the standup>",
    "<https://acme.slack.com/archives/C1/p1|the standup (acme.slack.com)>",
  ],
  [
    "an allowed masked link whose label shows the host",
    "<https://slack.com/help|slack.com help>",
    "<https://slack.com/help|slack.com help>",
  ],
  ["an allowed bare link", "<https://docs.example.org/a>", "<https://docs.example.org/a>"],
  ["another host, bracketed", "<https://evil.example/x>", "hxxps://evil[.]example/x"],
  [
    "a look-alike host",
    "<https://slack.com.evil.example/|Slack>",
    "Slack (slack[.]com[.]evil[.]example, link removed)",
  ],
  [
    "user info in the URL",
    "https://slack.com@evil.example/login",
    "hxxps://slack[.]com@evil[.]example/login",
  ],
  ["a bare URL", "go to https://evil.example/login now", "go to hxxps://evil[.]example/login now"],
  ["a bare URL ending a sentence", "See http://evil.example.", "See hxxp://evil[.]example."],
  ["a bare domain", "visit evil.example/login", "visit evil[.]example/login"],
  ["a bare domain with www", "www.evil.example", "www[.]evil[.]example"],
  ["an allowed bare URL", "https://slack.com/archives/C1/p2", "https://slack.com/archives/C1/p2"],
  [
    "a markdown link",
    "[slack.com](https://evil.example)",
    "slack.com (evil[.]example, link removed)",
  ],
  [
    "an allowed markdown link",
    "[docs](https://docs.example.org/x)",
    "[docs (docs.example.org)](https://docs.example.org/x)",
  ],
  [
    "a javascript link",
    "<javascript:alert(1)|click>",
    "click (javascript[:]alert(1), link removed)",
  ],
  [
    "file names in code stay readable",
    "edit `package.json` and\n```\nmain.py\n```",
    "edit `package.json` and\n```\nmain.py\n```",
  ],
  ["a file name outside code is defanged", "see README.md", "see README[.]md"],
  ["abbreviations are not domains", "e.g. this, i.e. that", "e.g. this, i.e. that"],
  ["version numbers are not domains", "v1.2.3 and 10.0.0.1", "v1.2.3 and 10.0.0.1"],
  ["a bot token", `token: ${BOT_TOKEN}`, `token: ${REDACTED}`],
  ["a user token", USER_TOKEN, REDACTED],
  ["an app token", `(${APP_TOKEN})`, `(${REDACTED})`],
  ["a rotating token", ROTATING, REDACTED],
  ["an OpenAI key", `key=${OPENAI_KEY}`, `key=${REDACTED}`],
  ["a configured secret", `the secret is ${SHARED_SECRET}.`, `the secret is ${REDACTED}.`],
  ["the canary", `my marker is ${CANARY}`, `my marker is ${REDACTED}`],
  [
    "a token hidden by invisible characters",
    `${BOT_TOKEN.slice(0, 8)}\u200b${BOT_TOKEN.slice(8)}`,
    REDACTED,
  ],
  ["a mention hidden by invisible characters", "<!chan\u200bnel>", `@${WJ}channel`],
  ["values too short to be secrets are left alone", "a short story", "a short story"],
  [
    "words that contain sk- are not keys",
    "task-abcdefghijklmnopqrstuvwxyz",
    "task-abcdefghijklmnopqrstuvwxyz",
  ],
  [
    "ordinary text",
    "Woof! Your cat is called *Miso* :cat:",
    "Woof! Your cat is called *Miso* :cat:",
  ],
];

describe("the output filter", () => {
  for (const [name, said, sent] of CASES) {
    test(name, () => {
      expect(filterText(said, policy)).toBe(sent);
    });
  }

  test("filtering twice changes nothing more", () => {
    for (const [, said] of CASES) {
      const once = filterText(said, policy);
      expect(filterText(once, policy)).toBe(once);
    }
  });

  test("a mention neutralised reads the same but holds no mention Slack can see", () => {
    const sent = filterText("<!channel> @here", policy);
    expect(sent).not.toMatch(/<!|(?<![\w@])@(here|channel|everyone)\b/);
    expect(sent.replaceAll(WJ, "")).toBe("@channel @here");
  });
});
