import { describe, expect, test } from "bun:test";
import { MESSAGE_TEXT_LIMIT, splitAt, splitText } from "./split";

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("splitText", () => {
  test("keeps a short text whole and drops a blank one", () => {
    expect(splitText("hello")).toEqual(["hello"]);
    expect(splitText("  \n ")).toEqual([]);
  });

  test("cuts a long text into parts under the limit, losing no word", () => {
    const paragraph = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const text = Array.from({ length: 40 }, () => paragraph).join("\n\n");
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MESSAGE_TEXT_LIMIT);
    expect(words(parts.join("\n"))).toEqual(words(text));
    // Paragraph breaks are preferred: no part starts or ends mid-paragraph.
    for (const part of parts) {
      expect(part.startsWith("word0 ")).toBe(true);
      expect(part.endsWith("word59")).toBe(true);
    }
  });

  test("prefers line breaks, then spaces, then a hard cut", () => {
    expect(splitAt("aaaa bbbb\ncccc dddd", 16)).toEqual({ head: "aaaa bbbb", rest: "cccc dddd" });
    expect(splitAt("aaaaaaa bbbbbbbbbbbb", 16)).toEqual({ head: "aaaaaaa", rest: "bbbbbbbbbbbb" });
    expect(splitAt("x".repeat(20), 16)).toEqual({ head: "x".repeat(16), rest: "xxxx" });
  });

  test("never cuts before text already sent, nor through an emoji", () => {
    const text = `${"a ".repeat(5)}${"b".repeat(20)}`;
    const { head } = splitAt(text, 16, 12);
    expect(head.length).toBe(16);
    const emoji = `${"x".repeat(15)}😀yyyy`;
    expect(splitAt(emoji, 16).head).toBe("x".repeat(15));
  });

  test("closes a code block at the cut and reopens it in the next part", () => {
    const code = Array.from({ length: 400 }, (_, i) => `  line ${i};`).join("\n");
    const parts = splitText(`Here:\n\`\`\`\n${code}\n\`\`\`\nDone.`);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      expect(part.split("```").length % 2).toBe(1); // an even number of fences
      expect(part.length).toBeLessThanOrEqual(MESSAGE_TEXT_LIMIT + 4);
    }
    // Indentation inside the code survives the cut.
    expect(parts[1]?.split("\n")[1]).toMatch(/^ {2}line \d+;$/);
  });
});
