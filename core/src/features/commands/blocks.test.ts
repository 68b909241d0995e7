import { describe, expect, test } from "bun:test";
import { quoted, readable } from "./blocks";

describe("what people wrote, shown in pup's blocks", () => {
  test("Slack markup reads as the words it shows", () => {
    expect(readable("<@U0PUP> my plant is called Fern")).toBe("@U0PUP my plant is called Fern");
    expect(readable("see <#C01|general> and <https://example.com|the doc>")).toBe(
      "see #general and the doc",
    );
    expect(readable("<!here> and <!subteam^S1|@design>")).toBe("@here and @@design");
    expect(readable("<https://example.com>")).toBe("https://example.com");
  });

  test("a quote is escaped after, so nothing in it becomes a mention or a link again", () => {
    const shown = quoted("<!channel> <@U1> a < b & <https://x.example|click>", 200);
    expect(shown).toBe(">@channel @U1 a &lt; b &amp; click");
    expect(shown).not.toContain("<");
  });
});
