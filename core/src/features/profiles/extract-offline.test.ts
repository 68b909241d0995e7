import { describe, expect, test } from "bun:test";
import { extractStatedFacts, subjectSlug } from "./extract-offline";

const TABLE: [string, string[]][] = [
  ["I live in Lisbon", ["home_city: lives in Lisbon"]],
  ["btw, I just moved to New York!", ["home_city: lives in New York"]],
  ["I'm based in Porto, near the river", ["home_city: lives in Porto"]],
  ["I'm the designer on this team.", ["role: is the designer on this team"]],
  ["I am a data engineer", ["role: is a data engineer"]],
  ["I'm a bit tired today", []],
  ["my favourite colour is teal", ["favourite_colour: favourite colour is teal"]],
  [
    "My favorite food is ramen and I live in Oslo",
    ["favourite_food: favourite food is ramen", "home_city: lives in Oslo"],
  ],
  ["call me Sam", ["preferred_name: likes to be called Sam"]],
  ["please keep answers short", ["preference_answer_length: prefers short answers"]],
  ["I prefer detailed answers", ["preference_answer_length: prefers detailed answers"]],
  ["I prefer tea over coffee", ["preference_tea: prefers tea"]],
  ["I really like bouldering", ["interest_bouldering: likes bouldering"]],
  ["I don't like bouldering anymore", ["interest_bouldering: does not like bouldering"]],
  ["I work at Acme Corp", ["employer: works at Acme Corp"]],
  // Questions, other people, hypotheticals and quotes state nothing about the author.
  ["do I live in Lisbon?", []],
  ["if I live in Lisbon next year we should meet", []],
  ["Ana lives in Lisbon", []],
  ["> You live in Lisbon\nthanks!", []],
  ["&gt; I live in Lisbon", []],
  ["<@U0FAKEBOT1> I live in Braga", ["home_city: lives in Braga"]],
];

describe("extractStatedFacts", () => {
  for (const [text, expected] of TABLE) {
    test(JSON.stringify(text), () => {
      const facts = extractStatedFacts(text).map((fact) => `${fact.subject}: ${fact.fact}`);
      expect(facts).toEqual(expected);
    });
  }

  test("kinds: stated facts, interests and answer preferences", () => {
    expect(extractStatedFacts("I live in Rome")[0]?.kind).toBe("fact");
    expect(extractStatedFacts("my favourite band is Low")[0]?.kind).toBe("interest");
    expect(extractStatedFacts("keep replies brief please")[0]?.kind).toBe("preference");
  });
});

test("subjectSlug", () => {
  expect(subjectSlug("Favourite Colour")).toBe("favourite_colour");
  expect(subjectSlug("  New-York ")).toBe("new_york");
});
