import { describe, expect, test } from "bun:test";
import { messageValue, parseMessageLink, parseMessageValues } from "./message-link";

describe("parseMessageLink", () => {
  test("Slack's Copy link: workspace host, p + ts without its dot", () => {
    expect(parseMessageLink("https://acme.slack.com/archives/C0123ABCD/p1712345678000100")).toEqual(
      { channelId: "C0123ABCD", ts: "1712345678.000100" },
    );
  });

  test("a reply in a thread (thread_ts and cid), a DM, a private channel", () => {
    expect(
      parseMessageLink(
        "https://acme.slack.com/archives/C0123ABCD/p1712345679000200?thread_ts=1712345678.000100&cid=C0123ABCD",
      ),
    ).toEqual({ channelId: "C0123ABCD", ts: "1712345679.000200" });
    expect(parseMessageLink("https://acme.slack.com/archives/D0DM12345/p1712345678000100")).toEqual(
      { channelId: "D0DM12345", ts: "1712345678.000100" },
    );
    expect(
      parseMessageLink("https://acme.enterprise.slack.com/archives/G0PRIV123/p1712345678000100"),
    ).toEqual({ channelId: "G0PRIV123", ts: "1712345678.000100" });
  });

  test("pup's own links (slack.com), and links Slack wrapped as <url> or <url|label>", () => {
    const expected = { channelId: "C0GENERAL1", ts: "1712345678.000100" };
    expect(parseMessageLink("https://slack.com/archives/C0GENERAL1/p1712345678000100")).toEqual(
      expected,
    );
    expect(
      parseMessageLink(" <https://x.slack.com/archives/C0GENERAL1/p1712345678000100> "),
    ).toEqual(expected);
    expect(
      parseMessageLink("<https://x.slack.com/archives/C0GENERAL1/p1712345678000100|a message>"),
    ).toEqual(expected);
  });

  test("anything else is no message", () => {
    for (const input of [
      "",
      "me",
      "C0123ABCD 1712345678.000100",
      // Not Slack, or only pretending to be.
      "https://evil.example/archives/C0123ABCD/p1712345678000100",
      "https://slack.com.evil.example/archives/C0123ABCD/p1712345678000100",
      "https://evilslack.com/archives/C0123ABCD/p1712345678000100",
      "http://acme.slack.com/archives/C0123ABCD/p1712345678000100",
      "https://user:pw@acme.slack.com/archives/C0123ABCD/p1712345678000100",
      "https://acme.slack.com:8443/archives/C0123ABCD/p1712345678000100",
      // Not a message: a channel, a file, a user, a malformed ts or thread.
      "https://acme.slack.com/archives/C0123ABCD",
      "https://acme.slack.com/archives/C0123ABCD/p123",
      "https://acme.slack.com/archives/U0123ABCD/p1712345678000100",
      "https://acme.slack.com/archives/C0123ABCD/p1712345678000100/extra",
      "https://acme.slack.com/archives/C0123ABCD/p1712345678000100?thread_ts=yesterday",
      "https://acme.slack.com/files/U0123ABCD/F0123ABCD/report.pdf",
    ]) {
      expect({ input, parsed: parseMessageLink(input) }).toEqual({ input, parsed: undefined });
    }
  });
});

describe("Forget button values", () => {
  test("one message or several round-trip", () => {
    const one = { channelId: "C0GENERAL1", ts: "1712345678.000100" };
    const two = { channelId: "D0ALICEPUP", ts: "1712345679.000001" };
    expect(parseMessageValues(messageValue(one))).toEqual([one]);
    expect(parseMessageValues([one, two].map(messageValue).join(","))).toEqual([one, two]);
  });

  test("a malformed part, or too many, names nothing at all", () => {
    expect(parseMessageValues(undefined)).toEqual([]);
    expect(parseMessageValues("")).toEqual([]);
    expect(parseMessageValues("C0GENERAL1:1712345678.000100,oops")).toEqual([]);
    expect(parseMessageValues("C0GENERAL1:1712345678.000100:extra")).toEqual([]);
    expect(parseMessageValues("U0ALICE001:1712345678.000100")).toEqual([]);
    const many = Array.from({ length: 21 }, (_, i) => `C0GENERAL1:17123456${10 + i}.000100`);
    expect(parseMessageValues(many.join(","))).toEqual([]);
    expect(parseMessageValues(many.slice(0, 20).join(","))).toHaveLength(20);
  });
});
