// The App Home view as a pure function of what pup keeps of the viewer: links and Forget buttons
// per item, escaping, Slack's limits, paging and the "forget everything" confirmation.
import { describe, expect, test } from "bun:test";
import type { SlackBlock } from "../../ports/slack-gateway";
import { type HomeData, homeView } from "./home-view";
import type { FactItem, MemoryItem, MoodChangeItem } from "./remembered";

const link = (channelId: string, ts: string) =>
  `https://slack.com/archives/${channelId}/p${ts.replace(".", "")}`;

function memory(i: number, text = `message number ${i}`): MemoryItem {
  const ts = `17123456${String(10 + i).padStart(2, "0")}.000100`;
  return {
    channelId: "C0GENERAL1",
    ts,
    permalink: link("C0GENERAL1", ts),
    text,
    postedAt: new Date(Date.UTC(2026, 10, 2, 9, i)),
  };
}

function fact(i: number, sources = 1): FactItem {
  return {
    kind: "fact",
    fact: `fact number ${i}`,
    sources: Array.from({ length: sources }, (_, s) => {
      const ts = `17123457${String(10 + s).padStart(2, "0")}.00010${i % 10}`;
      return { channelId: "D0ALICEPUP", ts, permalink: link("D0ALICEPUP", ts) };
    }),
  };
}

function moodChange(i: number): MoodChangeItem {
  return {
    from: "neutral",
    to: "friendly",
    reason: `thanked ${i} times`,
    at: new Date(Date.UTC(2026, 10, 2, 10, i)),
    permalink: link("C0GENERAL1", `1712345${700 + i}.000100`),
  };
}

function data(overrides: Partial<HomeData> = {}): HomeData {
  return {
    page: 0,
    facts: { items: [fact(1, 2)], hasMore: false },
    memories: { items: [memory(1)], hasMore: false },
    moodChanges: { items: [moodChange(1)], hasMore: false },
    commands: [
      { usage: "/pup help", summary: "what pup can do" },
      { usage: "/pup forget me", summary: "forget everything you said" },
    ],
    forgetMeValue: "nonce-1",
    ...overrides,
  };
}

/** Every button in the view with the block it sits in. */
function buttons(blocks: SlackBlock[]): { block: SlackBlock; button: Record<string, unknown> }[] {
  return blocks.flatMap((block) => {
    const inBlock = [
      ...((block.elements as Record<string, unknown>[] | undefined) ?? []),
      ...(block.accessory ? [block.accessory as Record<string, unknown>] : []),
    ].filter((element) => element.type === "button");
    return inBlock.map((button) => ({ block, button }));
  });
}

const textOf = (block: SlackBlock) => String((block.text as { text?: string } | undefined)?.text);

describe("homeView", () => {
  test("each fact links every source and its Forget button names them all", () => {
    const view = homeView(data());
    const [factSection] = view.blocks.filter((b) => textOf(b).includes("fact number 1"));
    const sources = fact(1, 2).sources;
    expect(textOf(factSection as SlackBlock)).toContain(`<${sources[0]?.permalink}|source>`);
    expect(textOf(factSection as SlackBlock)).toContain(`<${sources[1]?.permalink}|2>`);
    expect(factSection?.accessory).toMatchObject({
      type: "button",
      action_id: "forget_message",
      value: sources.map((s) => `${s.channelId}:${s.ts}`).join(","),
    });
  });

  test("each memory links its message and its Forget button names it; mood changes link theirs", () => {
    const view = homeView(data());
    const item = memory(1);
    const [memorySection] = view.blocks.filter((b) => textOf(b).includes("message number 1"));
    expect(textOf(memorySection as SlackBlock)).toContain(
      `<${item.permalink}|2026-11-02 09:01 UTC>`,
    );
    expect(memorySection?.accessory).toMatchObject({
      action_id: "forget_message",
      value: `${item.channelId}:${item.ts}`,
      confirm: { style: "danger" },
    });
    const moods = view.blocks.find((b) => textOf(b).includes("moved my mood"));
    expect(textOf(moods as SlackBlock)).toContain(
      `neutral → friendly, thanked 1 times (<${moodChange(1).permalink}|your message>)`,
    );
  });

  test("what people wrote is escaped: no link, mention or markup of theirs survives", () => {
    const planted = "<!channel> see <https://evil.example|slack.com> & <@U0BOB00001>";
    const view = homeView(
      data({
        memories: { items: [memory(1, planted)], hasMore: false },
        facts: { items: [{ ...fact(1), fact: planted }], hasMore: false },
        notice: "<!here>",
      }),
    );
    const all = JSON.stringify(view);
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<!here>");
    expect(all).not.toContain("<https://evil.example");
    expect(all).not.toContain("<@U0BOB00001>");
    expect(all).toContain("&lt;!channel&gt; see &lt;https://evil.example|slack.com&gt; &amp;");
  });

  test("within Slack's limits with full pages and huge texts", () => {
    const huge = "word ".repeat(5000);
    const view = homeView(
      data({
        facts: {
          items: Array.from({ length: 10 }, (_, i) => ({ ...fact(i, 20), fact: huge })),
          hasMore: true,
        },
        memories: { items: Array.from({ length: 10 }, (_, i) => memory(i, huge)), hasMore: true },
        moodChanges: {
          items: Array.from({ length: 10 }, (_, i) => ({ ...moodChange(i), reason: huge })),
          hasMore: true,
        },
        commands: Array.from({ length: 40 }, (_, i) => ({ usage: `/pup c${i}`, summary: huge })),
        page: 3,
      }),
    );
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    for (const block of view.blocks) {
      expect(textOf(block).length).toBeLessThanOrEqual(3000);
    }
    for (const { button } of buttons(view.blocks)) {
      expect(String(button.value).length).toBeLessThanOrEqual(2000);
      expect(String((button.text as { text: string }).text).length).toBeLessThanOrEqual(75);
    }
  });

  test("paging: Next on the first page, Previous and Next further on; the page is the metadata", () => {
    const first = homeView(data({ memories: { items: [memory(1)], hasMore: true } }));
    expect(
      buttons(first.blocks)
        .filter(({ button }) => button.action_id === "home_page")
        .map(({ button }) => [(button.text as { text: string }).text, button.value]),
    ).toEqual([["Next page", "1"]]);
    expect(first.private_metadata).toBe("0");

    const middle = homeView(data({ page: 2, moodChanges: { items: [], hasMore: true } }));
    expect(
      buttons(middle.blocks)
        .filter(({ button }) => button.action_id === "home_page")
        .map(({ button }) => button.value),
    ).toEqual(["1", "3"]);
    expect(middle.private_metadata).toBe("2");

    const last = homeView(data({ page: 1 }));
    expect(
      buttons(last.blocks)
        .filter(({ button }) => button.action_id === "home_page")
        .map(({ button }) => button.value),
    ).toEqual(["0"]);

    const only = homeView(data());
    expect(buttons(only.blocks).some(({ button }) => button.action_id === "home_page")).toBe(false);
  });

  test("no block holds the same action id twice (Slack refuses that)", () => {
    const view = homeView(data({ page: 1, memories: { items: [memory(1)], hasMore: true } }));
    for (const block of view.blocks) {
      const ids = buttons([block]).map(({ button }) => button.action_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test("forget everything: a danger button behind a confirmation dialog, valued by the view's nonce", () => {
    const view = homeView(data());
    const forgetAll = buttons(view.blocks).filter(
      ({ button }) => button.action_id === "forget_me_confirm",
    );
    expect(forgetAll).toHaveLength(1);
    expect(forgetAll[0]?.button).toMatchObject({
      style: "danger",
      value: "nonce-1",
      confirm: {
        title: { type: "plain_text" },
        confirm: { text: "Forget everything" },
        deny: { text: "Cancel" },
        style: "danger",
      },
    });
  });

  test("empty lists say so, and the commands are listed", () => {
    const empty = { items: [], hasMore: false };
    const view = homeView(data({ facts: empty, memories: empty, moodChanges: empty }));
    const all = JSON.stringify(view);
    expect(all).toContain("None yet.");
    expect(all).toContain("None stored.");
    expect(all).toContain("Not at all so far.");
    expect(all).toContain("`/pup forget me`: forget everything you said");
    expect(buttons(view.blocks).map(({ button }) => button.action_id)).toEqual([
      "forget_me_confirm",
    ]);
  });
});
