// The BM25 baseline against scores worked out by hand on a three-document corpus. The corpus is
// chosen so that the common variants (idf without the "1 +", idf = ln(N/n), no or full length
// normalisation, another k1) would each rank the query "ember fern" differently.
import { describe, expect, test } from "bun:test";
import { bm25Tokens, buildBm25 } from "./bm25";

/*
 * N = 3 documents of lengths 1, 6 and 2 tokens: average length 3.
 * idf(fern)  (in 2 documents) = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6)   = 0.4700
 * idf(ember) (in 1 document)  = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8 / 3) = 0.9808
 * length norm K = 1.2 * (1 - 0.75 + 0.75 * length / 3): short 0.6, long 2.1, pair 0.9
 * short "fern":      fern tf 1: 0.4700 * 1 * 2.2 / (1 + 0.6) = 0.6463
 * long "ember …":    ember tf 1: 0.9808 * 1 * 2.2 / (1 + 2.1) = 0.6961
 * pair "fern fern":  fern tf 2: 0.4700 * 2 * 2.2 / (2 + 0.9) = 0.7131
 * so "ember fern" ranks pair > long > short. With idf = ln((N - n + 0.5) / (n + 0.5)) fern's
 * idf is negative and the order is long > short > pair; with ln(N / n) or b = 0, long comes first.
 */
const corpus = [
  { id: "short", text: "Fern" },
  { id: "long", text: "ember reed moss, moss reed moss" },
  { id: "pair", text: "fern FERN!" },
];

describe("buildBm25", () => {
  const index = buildBm25(corpus);

  test("ranks by the hand-computed Okapi scores", () => {
    expect(index.search("ember fern", 3)).toEqual(["pair", "long", "short"]);
    // tf saturates but still counts: two ferns in two tokens beat one fern in one token.
    expect(index.search("fern", 2)).toEqual(["pair", "short"]);
    expect(index.search("moss", 1)).toEqual(["long"]);
  });

  test("the query is tokenised like the documents: case and punctuation do not matter", () => {
    expect(index.search("EMBER? Fern...", 3)).toEqual(index.search("ember fern", 3));
  });

  test("returns at most k ids, the unmatched last in document order", () => {
    expect(index.search("moss", 3)).toEqual(["long", "short", "pair"]);
    expect(index.search("nothing here", 2)).toEqual(["short", "long"]);
    expect(index.search("fern", 10)).toHaveLength(3);
  });

  test("ties keep document order, whatever the ids", () => {
    const twins = buildBm25([
      { id: "z", text: "fox den" },
      { id: "m", text: "owl" },
      { id: "a", text: "fox den" },
    ]);
    expect(twins.search("fox", 3)).toEqual(["z", "a", "m"]);
    expect(twins.search("den fox", 2)).toEqual(["z", "a"]);
  });

  test("an empty corpus finds nothing", () => {
    expect(buildBm25([]).search("fern", 5)).toEqual([]);
  });
});

describe("bm25Tokens", () => {
  test("lowercase runs of a-z and 0-9; no stemming, no stop words", () => {
    expect(bm25Tokens("Don't STOP-believing, in 2023!")).toEqual([
      "don",
      "t",
      "stop",
      "believing",
      "in",
      "2023",
    ]);
    expect(bm25Tokens("Café naïve")).toEqual(["caf", "na", "ve"]);
    expect(bm25Tokens("  ...  ")).toEqual([]);
  });
});
