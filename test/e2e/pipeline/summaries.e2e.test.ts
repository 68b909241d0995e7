// The summary queue through BullMQ on the real Redis and PostgreSQL: the workspace's daily plan
// is a job scheduler at its local hour (BullMQ's own next run, held to pup's computation), and a
// plan job, run twice as a scheduler hiccup would, stores one summary per active conversation.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { scheduleWorkspace, summaryJob } from "../../../core/src/features/summaries";
import { nextDailyRun } from "../../../core/src/shared/daily-schedule";
import { enqueueJob } from "../../../core/src/shared/jobs";
import {
  ALICE,
  BOB,
  forwardToCore,
  type Pipeline,
  PUP,
  said,
  settle,
  startPipeline,
  TEAM,
  waitFor,
} from "./harness";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

test("the daily plan runs at the workspace's local hour", async () => {
  const { deps } = pipeline.services;
  await deps.directory.upsertWorkspace({ teamId: TEAM });
  await deps.workspaceSettings.setSummarySchedule(
    TEAM,
    { hour: 14, timeZone: "Asia/Tokyo" },
    ALICE,
  );
  const before = Date.now();
  const next = await scheduleWorkspace(deps, TEAM);
  // BullMQ computed it (cron pattern in the zone); pup's own computation agrees.
  expect(next).toBe(nextDailyRun({ hour: 14, timeZone: "Asia/Tokyo" }, before));
  const local = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Tokyo",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(next ?? 0));
  expect(local).toBe("14:00");
});

test("a plan run twice stores one summary per active conversation, with its sources", async () => {
  const { deps } = pipeline.services;
  const room = `C0SUM${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  pipeline.slack.addChannel({
    id: room,
    name: `sum-${room.toLowerCase()}`,
    visibility: "public",
    members: [ALICE, BOB, PUP],
  });
  for (const [user, text] of [
    [ALICE, "the release train leaves on Wednesday"],
    [BOB, "I will write the changelog for the release"],
  ] as const) {
    expect(
      await forwardToCore(pipeline, said(pipeline, text, { channel: room, user }).envelope),
    ).toBeLessThan(300);
  }
  await settle(pipeline);
  const plan = { kind: "plan" as const, teamId: TEAM };
  await enqueueJob(deps.queue, { ...summaryJob, jobId: () => `plan-a-${room}` }, plan);
  await enqueueJob(deps.queue, { ...summaryJob, jobId: () => `plan-b-${room}` }, plan);
  await waitFor(
    async () => (await deps.derived.latestSummary(TEAM, room)) !== undefined,
    "a summary",
  );
  await waitFor(async () => {
    const depth = await deps.queue.depth("summary");
    // Schedulers keep their next runs delayed: waiting and active jobs are what must finish.
    return depth.waiting + depth.active === 0;
  }, "the summary queue to drain");
  const stored = (
    await deps.derived.recallSummaries({ teamId: TEAM, fromChannelId: room }, room, 10)
  ).filter((summary) => summary.channelId === room);
  expect(stored).toHaveLength(1);
  expect(stored[0]?.summary).toContain("release train leaves on Wednesday");
  expect(stored[0]?.sources).toHaveLength(2);
});
