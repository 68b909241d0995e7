import { describe, expect, test } from "bun:test";
import { parseUserMention } from "./role-command";

describe("parseUserMention", () => {
  test("reads both forms Slack escapes a user in", () => {
    expect(parseUserMention("<@U0ALICE01>")).toBe("U0ALICE01");
    expect(parseUserMention("<@U0ALICE01|alice>")).toBe("U0ALICE01");
    expect(parseUserMention("<@W0ENTERPR1|ent user>")).toBe("W0ENTERPR1");
  });

  test("refuses plain names, channels, groups and trailing text", () => {
    for (const text of [
      "@alice",
      "alice",
      "<#C0GENERAL|general>",
      "<!here>",
      "<@U0ALICE01>x",
      "<@u0alice01>",
    ]) {
      expect(parseUserMention(text)).toBeUndefined();
    }
  });
});
