import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { createInProcessRateLimiter } from "../../adapters/in-process/rate-limiter";
import { DEFAULT_LIMITS } from "../../config/limits";
import type { EventLog, StoredSlackEvent } from "../../ports/event-log";
import type { SlackGateway } from "../../ports/slack-gateway";
import { type MessageJobDeps, messageJob, messageJobId, runMessageJob } from "./message-job";

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

/** `uninstalled`: workspaces whose payloads `admits` refuses (except lifecycle events). */
function depsWith(eventLog: EventLog, uninstalled: readonly string[] = []) {
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
      admits: async (event) =>
        event.eventType === "app_uninstalled" || !uninstalled.includes(event.teamId),
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

  test("an event no longer in the log (redacted by a forget) completes quietly", async () => {
    const { eventLog, reads } = logOf();
    const { deps, handled } = depsWith(eventLog);
    const logged: string[] = [];
    deps.logger = {
      ...deps.logger,
      info: (_fields: unknown, message?: string) => void logged.push(String(message)),
    };
    await runMessageJob(deps, { teamId: "T1", eventId: "EvRedacted", kind: "event" });
    expect(reads).toEqual(["T1/EvRedacted"]);
    expect(handled).toEqual([]);
    expect(logged).toEqual([
      "slack payload no longer in the event log (redacted): nothing to handle",
    ]);
  });
});

describe("a workspace that uninstalled pup", () => {
  test("no payload is handled, not even with a slow down; a lifecycle event still is", async () => {
    const { eventLog } = logOf(
      stored({ teamId: "T2", eventId: "EvMention" }),
      stored({ teamId: "T2", eventId: "command:T2:1", kind: "command", id: 8 }),
      stored({ teamId: "T2", eventId: "command:T2:2", kind: "command", id: 9 }),
      stored({ teamId: "T2", eventId: "block_actions:T2:3", kind: "interaction", id: 10 }),
      stored({ teamId: "T2", eventId: "EvGone", eventType: "app_uninstalled", id: 11 }),
      stored({ teamId: "T1", eventId: "Ev1", id: 12 }),
    );
    const { deps, handled } = depsWith(eventLog, ["T2"]);
    // One command a minute: the second command would be told to slow down if it got that far.
    const slackCalls: string[] = [];
    deps.limits = { ...DEFAULT_LIMITS, userPerMinute: 1 };
    deps.slack = new Proxy({} as SlackGateway, {
      get: (_target, name) => async () => {
        slackCalls.push(String(name));
      },
    });
    for (const eventId of [
      "EvMention",
      "command:T2:1",
      "command:T2:2",
      "block_actions:T2:3",
      "EvGone",
    ]) {
      await runMessageJob(deps, { teamId: "T2", eventId });
    }
    await runMessageJob(deps, { teamId: "T1", eventId: "Ev1" });
    expect(handled).toEqual(["event:EvGone:11", "event:Ev1:12"]);
    expect(slackCalls).toEqual([]);
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
