import { describe, expect, test } from "bun:test";
import type { DirectoryUser } from "../../ports/directory";
import { namedAuthors, namesOf, queryNames } from "./named-authors";

function user(userId: string, names: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    teamId: "T1",
    userId,
    name: null,
    displayName: null,
    realName: null,
    role: "member",
    isBot: false,
    forgottenAt: null,
    ...names,
  };
}

describe("queryNames", () => {
  const alice = user("U1", { realName: "Alice Smith", name: "alice.s" });

  test("a name as a whole word, in any case, possessive included", () => {
    expect(queryNames("what did Alice say about the launch?", alice)).toBe(true);
    expect(queryNames("what is alice's cat called", alice)).toBe(true);
    expect(queryNames("ask alice smith", alice)).toBe(true);
  });

  test("a name inside another word, or nobody named, is no match", () => {
    expect(queryNames("what did Alicent say?", alice)).toBe(false);
    expect(queryNames("what is the cat called?", alice)).toBe(false);
  });

  test("a Slack mention names its user, with or without a label", () => {
    expect(queryNames("what did <@U1> say?", alice)).toBe(true);
    expect(queryNames("what did <@U1|alice> say?", alice)).toBe(true);
    expect(queryNames("what did <@U12> say?", alice)).toBe(false);
  });

  test("names shorter than three letters never match as words", () => {
    expect(namesOf(user("U2", { displayName: "Al" }))).toEqual([]);
    expect(queryNames("is it al dente?", user("U2", { displayName: "Al" }))).toBe(false);
  });
});

describe("namedAuthors", () => {
  const people = new Map([
    ["U1", user("U1", { displayName: "Alice" })],
    ["U2", user("U2", { displayName: "Bob" })],
    ["U3", user("U3", { displayName: "Carol", forgottenAt: new Date(0) })],
    ["B1", user("B1", { displayName: "Deploybot", isBot: true })],
  ]);
  const directory = {
    getUser: async (_teamId: string, userId: string) => people.get(userId),
  } as unknown as Parameters<typeof namedAuthors>[0]["directory"];

  test("only named candidates; bots, forgotten and unknown people never", async () => {
    const named = await namedAuthors(
      { directory },
      "T1",
      "did alice, bob, carol or deploybot mention the release?",
      ["U1", "U2", "U2", "U3", "B1", "U9", null],
    );
    expect([...named].sort()).toEqual(["U1", "U2"]);
  });
});
