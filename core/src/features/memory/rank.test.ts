import { describe, expect, test } from "bun:test";
import type { LexicalMessage, LexicalRecall, StoredMessage } from "../../ports/message-store";
import { rankMemories } from "./rank";

const NOW = Date.UTC(2026, 10, 25);
const DAY = 86_400_000;

function message(id: number, text: string, daysAgo = 100): StoredMessage {
  return {
    id,
    teamId: "T1",
    channelId: "C1",
    ts: `${1_700_000_000 + id}.000000`,
    threadTs: null,
    userId: "U1",
    botId: null,
    text,
    visibility: "public_channel",
    postedAt: new Date(NOW - daysAgo * DAY),
    editedAt: null,
    deletedAt: null,
  };
}

/** Words of `text` as lexemes (no stemming needed here), with counts. */
function terms(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? [])
    counts[word] = (counts[word] ?? 0) + 1;
  return counts;
}

/** A channel of consecutive turns, each linked to its neighbours, with statistics over them. */
function channel(texts: string[], extraDocs = 0, daysAgo?: (i: number) => number): LexicalRecall {
  const messages: LexicalMessage[] = texts.map((text, i) => {
    const t = terms(text);
    return {
      message: message(i + 1, text, daysAgo?.(i) ?? 100),
      terms: t,
      length: Object.values(t).reduce((a, b) => a + b, 0),
      similarity: null,
      previousId: i > 0 ? i : null,
      nextId: i + 1 < texts.length ? i + 2 : null,
    };
  });
  const lexemes: Record<string, number> = {};
  for (const m of messages)
    for (const word of Object.keys(m.terms)) lexemes[word] = (lexemes[word] ?? 0) + 1;
  return {
    docs: texts.length + extraDocs,
    tokens: messages.reduce((sum, m) => sum + m.length, 0) + extraDocs * 5,
    lexemes,
    messages,
  };
}

/** The statistics of `recall` restricted to the query's words, as the adapter returns them. */
function forQuery(recall: LexicalRecall, query: string): LexicalRecall {
  const words = new Set(query.toLowerCase().match(/[a-z]+/g) ?? []);
  return {
    ...recall,
    lexemes: Object.fromEntries(Object.entries(recall.lexemes).filter(([w]) => words.has(w))),
  };
}

const ids = (ranked: { message: StoredMessage }[]) => ranked.map((r) => r.message.id);

describe("rankMemories", () => {
  test("a rare word outranks a common one (idf)", () => {
    const recall = channel(
      [
        "ana likes the weekend",
        "ana went hiking",
        "ana bought groceries",
        "the retreat is in lisbon",
        "ana cooked dinner",
      ],
      200,
    );
    const ranked = rankMemories({
      lexical: forQuery(recall, "ana lisbon"),
      vector: [],
      now: NOW,
      limit: 5,
      weights: { smoothing: 0, neighbourWords: 0 },
    });
    expect(ranked[0]?.message.text).toBe("the retreat is in lisbon");
  });

  test("the answer beside the turn that names the topic is found through its window", () => {
    // "where is the retreat" is asked; the reply holding the answer shares no word with it.
    const recall = channel(
      [
        "lunch was good, the pasta place on the corner is cheap and fast and always busy at noon",
        "where is the company retreat this year",
        "lisbon again, near the river",
        "nice weather today",
        "anyone seen my keys",
        "deploy went fine",
      ],
      100,
    );
    const query = "company retreat";
    const withoutWindows = rankMemories({
      lexical: forQuery(recall, query),
      vector: [],
      now: NOW,
      limit: 6,
      weights: { smoothing: 0, neighbourWords: 0 },
    });
    const withWindows = rankMemories({
      lexical: forQuery(recall, query),
      vector: [],
      now: NOW,
      limit: 2,
    });
    // Without windows the answer scores nothing lexically; with them it is in the top two.
    expect(withoutWindows.find((r) => r.message.id === 3)?.score ?? 0).toBe(
      withoutWindows.find((r) => r.message.id === 1)?.score ?? 0,
    );
    expect(ids(withWindows)).toContain(3);
    expect(ids(withWindows)).toContain(2);
  });

  test("the person a question names: their own words outrank another's on the same topic", () => {
    // "what does ana cook?": bo's message says more about cooking, but the question is about
    // ana (whose name, in every message of hers, is too common in her team to weigh in BM25).
    const recall = channel(["bo cooks pasta and cooks risotto", "ana cooks curry"], 200);
    recall.messages[0] = {
      ...(recall.messages[0] as LexicalMessage),
      message: { ...(recall.messages[0] as LexicalMessage).message, userId: "U-BO" },
    };
    recall.messages[1] = {
      ...(recall.messages[1] as LexicalMessage),
      message: { ...(recall.messages[1] as LexicalMessage).message, userId: "U-ANA" },
    };
    const input = {
      lexical: forQuery(recall, "what cooks"),
      vector: [],
      now: NOW,
      limit: 2,
      weights: { smoothing: 0, neighbourWords: 0, farWords: 0 },
    };
    expect(ids(rankMemories(input))).toEqual([1, 2]);
    expect(ids(rankMemories({ ...input, namedAuthors: new Set(["U-ANA"]) }))).toEqual([2, 1]);
  });

  test("vector similarity ranks what shares no word with the query", () => {
    const recall = channel(["alpha", "beta"], 10);
    const vectorOnly = message(50, "a feline named miso");
    const ranked = rankMemories({
      lexical: forQuery(recall, "cat name"),
      vector: [{ message: vectorOnly, similarity: 0.8 }],
      now: NOW,
      limit: 3,
    });
    expect(ranked[0]?.message.id).toBe(50);
    expect(ranked[0]?.before).toEqual([]);
  });

  test("near-duplicates are dropped, keeping the better one", () => {
    const recall = channel(
      [
        "the deploy key rotates every monday",
        "The deploy key rotates every Monday!",
        "the deploy key is in vault",
      ],
      50,
    );
    const ranked = rankMemories({
      lexical: forQuery(recall, "deploy key rotates monday"),
      vector: [],
      now: NOW,
      limit: 3,
    });
    const texts = ranked.map((r) => r.message.text.toLowerCase().replace(/[^a-z ]/g, ""));
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.filter((t) => t === "the deploy key rotates every monday")).toHaveLength(1);
  });

  test("recency breaks a tie towards the newer message", () => {
    const recall = channel(["standup moved to ten", "x", "standup moved to ten"], 20, (i) =>
      i === 2 ? 1 : 300,
    );
    const ranked = rankMemories({
      lexical: forQuery(recall, "standup"),
      vector: [],
      now: NOW,
      limit: 3,
      weights: { duplicateOverlap: 1.1, smoothing: 0, neighbourWords: 0 },
    });
    expect(ranked[0]?.message.id).toBe(3);
  });

  test("excluded messages are left out but still lend their words to neighbours", () => {
    const recall = channel(["what is the wifi password", "it is hunter", "ok"], 30);
    const ranked = rankMemories({
      lexical: forQuery(recall, "wifi password"),
      vector: [],
      now: NOW,
      limit: 3,
      exclude: (m) => m.id === 1,
    });
    expect(ids(ranked)).not.toContain(1);
    expect(ranked[0]?.message.id).toBe(2);
    expect(ranked[0]?.before.map((m) => m.id)).toEqual([1]);
    expect(ranked[0]?.after.map((m) => m.id)).toEqual([3]);
  });

  test("at most `limit` results, and nothing from an empty recall", () => {
    const recall = channel(["a b", "a c", "a d", "a e"], 0);
    expect(
      rankMemories({ lexical: forQuery(recall, "a"), vector: [], now: NOW, limit: 2 }),
    ).toHaveLength(2);
    expect(
      rankMemories({
        lexical: { docs: 0, tokens: 0, lexemes: {}, messages: [] },
        vector: [],
        now: NOW,
        limit: 5,
      }),
    ).toEqual([]);
  });
});
