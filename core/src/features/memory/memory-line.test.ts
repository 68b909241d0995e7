import { describe, expect, test } from "bun:test";
import {
  formatMemoryLine,
  formatSpeakerTurn,
  parseMemoryLines,
  parseSpeakerTurn,
} from "./memory-line";

const nov3 = new Date("2025-11-03T15:04:00Z");

describe("memory lines", () => {
  test("formats the documented shape", () => {
    expect(
      formatMemoryLine({
        speaker: "Ana",
        channelName: "design",
        postedAt: nov3,
        text: "my cat is called Miso",
      }),
    ).toBe('- Ana in #design, 3 Nov: "my cat is called Miso"');
  });

  test("a DM, a #-prefixed name, newlines and an old year", () => {
    expect(
      formatMemoryLine(
        { speaker: "Bo", channelName: null, postedAt: nov3, text: "line one\nline two" },
        { now: new Date("2026-01-02T00:00:00Z") },
      ),
    ).toBe('- Bo in a DM, 3 Nov 2025: "line one line two"');
    expect(
      formatMemoryLine({ speaker: "Bo", channelName: "#general", postedAt: nov3, text: "x" }),
    ).toBe('- Bo in #general, 3 Nov: "x"');
  });

  test("parses back what it formats, ignoring other lines", () => {
    const prompt = [
      "You are pup. Things you remember:",
      formatMemoryLine({
        speaker: "Ana",
        channelName: "design",
        postedAt: nov3,
        text: 'a "quoted" word',
      }),
      formatMemoryLine({
        speaker: "Jo in Paris",
        channelName: undefined,
        postedAt: nov3,
        text: "hi",
      }),
      "- not a memory line",
    ].join("\n");
    expect(parseMemoryLines(prompt)).toEqual([
      { speaker: "Ana", channelName: "design", date: "3 Nov", text: 'a "quoted" word' },
      { speaker: "Jo in Paris", channelName: null, date: "3 Nov", text: "hi" },
    ]);
  });

  test("the turns around a memory and its permalink follow it, and are not read back as memories", () => {
    const line = formatMemoryLine({
      speaker: "Ana",
      channelName: "design",
      postedAt: nov3,
      text: "Miso",
      context: [
        { speaker: "Bo", text: "what is your cat\ncalled?" },
        { speaker: "", text: "cute" },
      ],
      permalink: "https://example.slack.com/archives/C1/p1",
    });
    expect(line.split("\n")).toEqual([
      '- Ana in #design, 3 Nov: "Miso"',
      '    around it, Bo: "what is your cat called?"',
      '    around it, someone: "cute"',
      "    link: https://example.slack.com/archives/C1/p1",
    ]);
    expect(parseMemoryLines(line)).toEqual([
      { speaker: "Ana", channelName: "design", date: "3 Nov", text: "Miso" },
    ]);
  });

  test("speaker turns", () => {
    expect(formatSpeakerTurn({ speaker: "Ana", text: "what is my cat called?" })).toBe(
      "Ana: what is my cat called?",
    );
    expect(parseSpeakerTurn("Ana: what is my cat called?")).toEqual({
      speaker: "Ana",
      text: "what is my cat called?",
    });
    expect(parseSpeakerTurn("what is my cat called?").speaker).toBeNull();
  });
});
