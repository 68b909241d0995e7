// publishAppHome over pup's real composition on in-process adapters and the local Slack: the
// viewer's own data only, and nothing at all while the workspace is uninstalled (ADR-034).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ALICE,
  BOB,
  type InProcessPup,
  startInProcessPup,
  TEAM,
} from "../../../../test/setup/in-process-pup";
import { onReinstalled, onUninstalled } from "../forget";
import { publishAppHome } from "./home";

let pup: InProcessPup;

beforeAll(async () => {
  pup = await startInProcessPup({ llm: "offline" });
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

const publishes = (user: string) =>
  pup.slack.callsTo("views.publish").filter((call) => call.args.user_id === user).length;

describe("publishAppHome", () => {
  test("lists the viewer's own messages only, a DM one included for its author", async () => {
    const channel = pup.conversation("public");
    const dm = pup.conversation("im");
    const hers = pup.said(channel, "alice talks about herons");
    const secret = pup.said(dm, "alice whispers about owls");
    pup.said(channel, "bob talks about badgers", { user: BOB });
    for (const envelope of [hers.envelope, secret.envelope]) await pup.handle(envelope);
    await pup.handle(pup.said(channel, "bob again about badgers", { user: BOB }).envelope);

    expect(await publishAppHome(pup.deps, TEAM, ALICE)).toBe(true);
    const alices = JSON.stringify(pup.slack.workspace.views.get(ALICE));
    expect(alices).toContain("alice talks about herons");
    expect(alices).toContain("alice whispers about owls");
    expect(alices).toContain(`"value":"${dm}:${secret.ts}"`);
    expect(alices).not.toContain("badgers");

    expect(await publishAppHome(pup.deps, TEAM, BOB)).toBe(true);
    const bobs = JSON.stringify(pup.slack.workspace.views.get(BOB));
    expect(bobs).toContain("bob again about badgers");
    expect(bobs).not.toContain("herons");
    expect(bobs).not.toContain("owls");
  }, 30_000);

  test("nothing is published while the workspace is uninstalled; a reinstall shows it again", async () => {
    await onUninstalled(pup.deps, TEAM, "app_uninstalled");
    const before = publishes(ALICE);
    expect(await publishAppHome(pup.deps, TEAM, ALICE)).toBe(false);
    expect(publishes(ALICE)).toBe(before);

    await onReinstalled(pup.deps, TEAM);
    expect(await publishAppHome(pup.deps, TEAM, ALICE)).toBe(true);
    expect(publishes(ALICE)).toBe(before + 1);
  }, 30_000);
});
