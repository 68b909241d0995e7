// The output filter where it matters: between pup and Slack. pup runs over its in-process
// adapters (test/setup/in-process-pup.ts) with the real @slack/web-api client talking to the
// local Slack, and the local OpenAI server answering with what an attacker wanted posted.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSlackGateway } from "../../core/src/adapters/slack";
import { replyTo } from "../../core/src/features/reply";
import { arrived } from "../fixtures/safety/injection-run";
import { ALICE, type InProcessPup, PUP, startInProcessPup, TEAM } from "../setup/in-process-pup";

/** What pup was made to post in #general (issue 14, point 4). */
const REPRODUCED = "<!channel> <https://evil.example/login|slack.com/standup>";
const BOT_TOKEN = ["xox", "b-", "1234567890-0987654321-AbCdEfGhIjKlMnOp"].join("");

let pup: InProcessPup;

beforeAll(async () => {
  pup = await startInProcessPup();
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

function openai() {
  if (!pup.openai) throw new Error("the local OpenAI server did not start");
  return pup.openai;
}

/** Everything pup's calls asked Slack to show, as one text per call. */
function textsSent(): string[] {
  return pup.slack.calls.flatMap((call) => {
    const {
      text,
      markdown_text: markdown,
      title,
      status,
      view,
    } = call.args as Record<string, unknown>;
    return [text, markdown, title, status, view].filter((v) => typeof v === "string") as string[];
  });
}

/** A mass mention Slack would act on, a token, or a link to evil.example. */
function dangerous(text: string): string[] {
  const found: string[] = [];
  if (/<!(channel|here|everyone|subteam)|(?<![\w@])@(channel|here|everyone)\b/i.test(text)) {
    found.push("mass mention");
  }
  if (text.includes(BOT_TOKEN.slice(0, 12))) found.push("token");
  if (/evil\.example/.test(text)) found.push("link");
  return found;
}

describe("what pup posts passes the output filter", () => {
  test("the reproduced post is neutralised, and posts never unfurl", async () => {
    const channel = pup.conversation("public");
    openai().queueReply(REPRODUCED);
    await replyTo(pup.deps, await arrived(pup, channel, `<@${PUP}> when is the standup?`));

    const [reply] = pup.pupMessages(channel);
    expect(reply?.text).toBe("@\u2060channel slack.com/standup (evil[.]example, link removed)");
    const posts = pup.slack.callsTo("chat.postMessage");
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post.args).toMatchObject({ unfurl_links: "false", unfurl_media: "false" });
    }
    expect(textsSent().flatMap(dangerous)).toEqual([]);
  });

  test("a streamed reply split mid-mention and mid-token sends neither, in any call", async () => {
    pup.slack.reset();
    const channel = pup.conversation("public");
    const { ts } = pup.said(channel, "hi pup");
    const stream = await pup.deps.slack.openReply({
      teamId: TEAM,
      channelId: channel,
      threadTs: ts,
      recipientUserId: ALICE,
    });
    const pieces = [
      "Sure thing <!chan",
      `nel>, the key is ${BOT_TOKEN.slice(0, 9)}`,
      `${BOT_TOKEN.slice(9)} and the page is https://evil.exa`,
      "mple/login today ",
      "<https://evil.example/x|slack.com> bye",
    ];
    for (const piece of pieces) {
      await stream.append(piece);
      // Longer than the first-send delay and the stream interval: each piece is its own call.
      await Bun.sleep(300);
    }
    await stream.finish();

    expect(pup.slack.callsTo("chat.appendStream").length).toBeGreaterThan(0);
    expect(textsSent().flatMap(dangerous)).toEqual([]);
    const [reply] = pup.repliesIn(channel, ts);
    expect(reply?.text).toContain("[redacted]");
    expect(reply?.text).toContain("hxxps://evil[.]example/login");
  });

  test("ephemerals, response_url answers, assistant titles and App Home views are filtered", async () => {
    pup.slack.reset();
    const channel = pup.conversation("public");
    await pup.deps.slack.postEphemeral(TEAM, channel, ALICE, `${REPRODUCED} ${BOT_TOKEN}`);
    await pup.deps.slack.respond(pup.slack.responseUrl(), REPRODUCED, { inChannel: true });
    await pup.deps.slack.setAssistantTitle(TEAM, channel, "1.000100", REPRODUCED);
    await pup.deps.slack.publishHome(TEAM, ALICE, {
      type: "home",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: REPRODUCED } }],
    });

    expect(pup.slack.callsTo("chat.postEphemeral")).toHaveLength(1);
    expect(pup.slack.callsTo("views.publish")).toHaveLength(1);
    expect(textsSent().flatMap(dangerous)).toEqual([]);
    const [answer] = pup.slack.responses;
    expect(answer?.body).toMatchObject({ unfurl_links: false, unfurl_media: false });
    expect(dangerous(String(answer?.body.text))).toEqual([]);
  });

  test("the blocks of ephemerals and response_url answers are filtered too", async () => {
    pup.slack.reset();
    const channel = pup.conversation("public");
    const blocks = [
      { type: "section", text: { type: "mrkdwn", text: `${REPRODUCED} ${BOT_TOKEN}` } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: REPRODUCED },
            action_id: "forget_message",
            value: "C0ONE:1.000001",
          },
        ],
      },
    ];
    await pup.deps.slack.postEphemeral(TEAM, channel, ALICE, "fallback", blocks);
    await pup.deps.slack.respond(pup.slack.responseUrl(), "fallback", {
      blocks,
      replaceOriginal: true,
    });

    const sent = pup.slack.callsTo("chat.postEphemeral")[0]?.args.blocks;
    expect(typeof sent).toBe("string");
    expect(dangerous(String(sent))).toEqual([]);
    // What is not shown text (ids, values) reaches Slack unchanged.
    expect(String(sent)).toContain('"value":"C0ONE:1.000001"');
    const [answer] = pup.slack.responses;
    expect(answer?.body).toMatchObject({ replace_original: true, text: "fallback" });
    expect(dangerous(JSON.stringify(answer?.body.blocks))).toEqual([]);
    expect(JSON.stringify(answer?.body.blocks)).toContain("[redacted]");
  });

  test("without the filter the same post reaches Slack as it is (the control)", async () => {
    pup.slack.reset();
    const channel = pup.conversation("public");
    const raw = createSlackGateway({
      botToken: pup.slack.token,
      apiUrl: pup.slack.url,
      cache: pup.deps.cache,
    });
    await raw.post(
      { teamId: TEAM, channelId: channel, threadTs: null, recipientUserId: null },
      REPRODUCED,
    );
    expect(textsSent().flatMap(dangerous)).toEqual(["mass mention", "link"]);
  });
});
