import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { createInProcessRateLimiter } from "../../adapters/in-process/rate-limiter";
import { DEFAULT_LIMITS } from "../../config/limits";
import type { EventLog, StoredSlackEvent } from "../../ports/event-log";
import type { SlackGateway } from "../../ports/slack-gateway";
import {
  EventNotLoggedError,
  type MessageJobDeps,
  messageJob,
  messageJobId,
  runMessageJob,
} from "./message-job";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** These jobs stay within the limits, so nothing is said to Slack: any call fails the test. */
const silentSlack = new Proxy({} as SlackGateway, {
  get: (_target, name) => () => {
    throw new Error(`unexpected Slack call ${String(name)}`);
  },
});

function stored(overrides: Partial<StoredSlackEvent> = {}): StoredSlackEvent {
  return {
    id: 7,
    teamId: "T1",
    eventId: "Ev1",
    kind: "event",
    eventType: "app_mention",
    userId: "U1",
    channelId: "C1",
    payload: { type: "event_callback" },
    retryNum: 0,
    retryReason: null,
    receivedAt: new Date("2026-12-01T10:00:00Z"),
    ...overrides,
  };
}

/** An event log holding `events`, counting the reads. */
function logOf(...events: StoredSlackEvent[]) {
  const reads: string[] = [];
  const eventLog: EventLog = {
    append: async () => ({ inserted: false }),
    find: async (teamId, eventId) => {
      reads.push(`${teamId}/${eventId}`);
      return events.find((e) => e.teamId === teamId && e.eventId === eventId);
    },
  };
  return { eventLog, reads };
}

function depsWith(eventLog: EventLog) {
  const handled: string[] = [];
  const listener = (kind: string) => async (event: StoredSlackEvent) => {
    handled.push(`${kind}:${event.eventId}:${event.id}`);
  };
  const deps: MessageJobDeps = {
    eventLog,
    logger: quiet,
    now: Date.now,
    limiter: createInProcessRateLimiter(),
    limits: DEFAULT_LIMITS,
    slack: silentSlack,
    slackListeners: {
      event: listener("event"),
      command: listener("command"),
      interaction: listener("interaction"),
    },
  };
  return { deps, handled };
}

describe("the message job", () => {
  test("hands each payload to the listener of its kind", async () => {
    const { eventLog } = logOf(
      stored(),
      stored({ eventId: "command:T1:1", kind: "command", id: 8 }),
      stored({ eventId: "block_actions:T1:2", kind: "interaction", id: 9 }),
    );
    const { deps, handled } = depsWith(eventLog);
    for (const eventId of ["Ev1", "command:T1:1", "block_actions:T1:2"]) {
      await runMessageJob(deps, { teamId: "T1", eventId });
    }
    expect(handled).toEqual([
      "event:Ev1:7",
      "command:command:T1:1:8",
      "interaction:block_actions:T1:2:9",
    ]);
  });

  test("an inlined event is used without reading the log; one for another job is not", async () => {
    const { eventLog, reads } = logOf(stored({ id: 70 }));
    const { deps, handled } = depsWith(eventLog);
    await runMessageJob(deps, { teamId: "T1", eventId: "Ev1", event: stored({ id: 71 }) });
    expect(reads).toEqual([]);
    await runMessageJob(deps, {
      teamId: "T1",
      eventId: "Ev1",
      event: stored({ id: 72, eventId: "EvOther" }),
    });
    expect(reads).toEqual(["T1/Ev1"]);
    expect(handled).toEqual(["event:Ev1:71", "event:Ev1:70"]);
  });

  test("an event not in the log fails the job so that it is tried again", async () => {
    const { deps, handled } = depsWith(logOf().eventLog);
    const run = runMessageJob(deps, { teamId: "T1", eventId: "EvMissing" });
    await expect(run).rejects.toBeInstanceOf(EventNotLoggedError);
    await run.catch((error: EventNotLoggedError) => expect(error.retryable).toBe(true));
    expect(handled).toEqual([]);
  });
});

describe("the message job's contract", () => {
  test("the id is the team and event id, never holding ':'", () => {
    expect(messageJobId("T1", "Ev1")).toBe("slack-T1-Ev1");
    expect(messageJob.jobId({ teamId: "T1", eventId: "command:T1:1.2" })).toBe(
      messageJobId("T1", "command:T1:1.2"),
    );
    expect(messageJobId("T1", "command:T1:1.2")).not.toContain(":");
  });

  test("an inlined event that crossed Redis as JSON comes back with its date", () => {
    const data = JSON.parse(
      JSON.stringify({ teamId: "T1", eventId: "Ev1", kind: "event", event: stored() }),
    );
    const parsed = v.parse(messageJob.schema, data);
    expect(parsed.event?.receivedAt).toEqual(new Date("2026-12-01T10:00:00Z"));
    expect(messageJob.jobName(parsed)).toBe("event");
  });

  test("an unreadable inlined event is dropped (the log has it); a job without ids is refused", () => {
    const parsed = v.parse(messageJob.schema, { teamId: "T1", eventId: "Ev1", event: { id: "x" } });
    expect(parsed).toEqual({ teamId: "T1", eventId: "Ev1" });
    expect(v.safeParse(messageJob.schema, { eventId: "Ev1" }).success).toBe(false);
    expect(v.safeParse(messageJob.schema, { teamId: "T1", eventId: "" }).success).toBe(false);
  });

  test("job ids never contain ':' and stay distinct", () => {
    const a = messageJobId("T1", "command:T1:1.2");
    const b = messageJobId("T1", "command_T1_1.2");
    expect(a).not.toContain(":");
    expect(a).not.toBe(b);
    expect(messageJobId("T1", "Ev1")).toBe("slack-T1-Ev1");
  });
});
