// Offline mode (no LLM configured): `/pup summary` is an extractive summary, each line
// attributed to who said it, the chatter left out.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { handleCommand } from "../../../core/src/features/commands";
import { ALICE, BOB, type InProcessPup, startInProcessPup, TEAM } from "../../setup/in-process-pup";

let pup: InProcessPup;

beforeAll(async () => {
  pup = await startInProcessPup({ llm: "offline" });
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

test("offline /pup summary picks the informative messages, attributed", async () => {
  const room = pup.conversation("public");
  for (const [user, text] of [
    [ALICE, "ok"],
    [BOB, "The billing migration finishes Tuesday after the Postgres upgrade"],
    [ALICE, "thanks"],
    [ALICE, "Design signed off the onboarding flow with three screens"],
  ] as const) {
    await pup.handle(pup.said(room, text, { user }).envelope);
  }
  await handleCommand(
    pup.deps,
    {
      token: "unused",
      team_id: TEAM,
      channel_id: room,
      user_id: ALICE,
      command: "/pup",
      text: "summary",
      api_app_id: "A0FAKEAPP1",
      trigger_id: "trig-offline-1",
    },
    `command:${TEAM}:trig-offline-1`,
  );
  const [answer] = pup.slack.callsTo("chat.postEphemeral").map((call) => String(call.args.text));
  expect(answer?.split("\n").slice(1)).toEqual([
    "• bob: The billing migration finishes Tuesday after the Postgres upgrade",
    "• alice: Design signed off the onboarding flow with three screens",
  ]);
});
