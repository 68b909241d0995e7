/**
 * Where pup's time goes, per event, from what core logged ("slack payload accepted", "slack
 * event handled", "replied": each with its wall-clock time and its own duration `ms`), when the
 * local OpenAI server received the chat request, and when the local Slack showed the reply.
 * Log times have millisecond resolution; stage percentiles are taken per stage, so the p95s of
 * the stages do not add up to the end-to-end p95.
 */
import type { RecordedRequest } from "../../fakes/openai";
import type { EventSample, OpenLoopRun } from "./open-loop";

/** The stages, in pipeline order. */
export const STAGES = [
  "due -> sent (load generator behind)",
  "sent -> accepted (sign, HTTP, route)",
  "accept route (INSERT + guard + enqueue)",
  "accepted -> job start (queue wait)",
  "job start -> reply start (store, directory, embed enqueue)",
  "reply start -> model asked (send key, recall, prompt)",
  "model asked -> first text (model + chat.startStream)",
  "first text -> reply finished (stream stop)",
  "reply finished -> job end (record, remember)",
] as const;

export type Stage = (typeof STAGES)[number];

interface Timed {
  at: number;
  ms: number;
}

function logged(line: Record<string, unknown>): Timed | undefined {
  const at = typeof line.time === "string" ? Date.parse(line.time) : Number.NaN;
  const ms = typeof line.ms === "number" ? line.ms : Number.NaN;
  return Number.isFinite(at) && Number.isFinite(ms) ? { at, ms } : undefined;
}

/**
 * Per-stage durations (ms) of every measured event that completed and left every log line.
 * `indexOfChat` reads an event's index from the chat request that asked about it.
 */
export function stageDurations(
  run: OpenLoopRun,
  logs: readonly Record<string, unknown>[],
  chats: readonly RecordedRequest[],
  indexOfChat: (request: RecordedRequest) => number | undefined,
): { stages: Record<Stage, number[]>; traced: number } {
  const accepted = new Map<string, Timed>();
  const handled = new Map<string, Timed>();
  const replied = new Map<string, Timed>();
  for (const line of logs) {
    const timed = logged(line);
    if (!timed) continue;
    if (line.msg === "slack payload accepted") accepted.set(String(line.eventId), timed);
    else if (line.msg === "slack event handled") handled.set(String(line.eventId), timed);
    else if (line.msg === "replied") replied.set(`${line.channelId}:${line.ts}`, timed);
  }
  const asked = new Map<number, number>();
  for (const chat of chats) {
    const index = indexOfChat(chat);
    if (index !== undefined && !asked.has(index)) asked.set(index, chat.receivedAt);
  }

  const stages = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<
    Stage,
    number[]
  >;
  let traced = 0;
  const wall = (perf: number) => perf + run.wallOffset;
  for (const sample of run.samples) {
    if (!sample.measured) continue;
    const times = trace(sample, accepted, handled, replied, asked);
    if (!times) continue;
    traced += 1;
    const first = wall(times.firstTextAt);
    const finished = wall(times.completedAt);
    const durations: Record<Stage, number> = {
      "due -> sent (load generator behind)": sample.sentAt - sample.due,
      "sent -> accepted (sign, HTTP, route)": times.accepted.at - wall(sample.sentAt),
      "accept route (INSERT + guard + enqueue)": times.accepted.ms,
      "accepted -> job start (queue wait)": times.jobStart - times.accepted.at,
      "job start -> reply start (store, directory, embed enqueue)":
        times.replyStart - times.jobStart,
      "reply start -> model asked (send key, recall, prompt)": times.asked - times.replyStart,
      "model asked -> first text (model + chat.startStream)": first - times.asked,
      "first text -> reply finished (stream stop)": finished - first,
      "reply finished -> job end (record, remember)": times.jobEnd - finished,
    };
    for (const stage of STAGES) stages[stage].push(durations[stage]);
  }
  return { stages, traced };
}

function trace(
  sample: EventSample,
  accepted: Map<string, Timed>,
  handled: Map<string, Timed>,
  replied: Map<string, Timed>,
  asked: Map<number, number>,
) {
  const acceptedLine = accepted.get(sample.eventId);
  const handledLine = handled.get(sample.eventId);
  const repliedLine = replied.get(`${sample.channel}:${sample.ts}`);
  const askedAt = asked.get(sample.index);
  if (!acceptedLine || !handledLine || !repliedLine || askedAt === undefined) return undefined;
  if (sample.firstTextAt === undefined || sample.completedAt === undefined) return undefined;
  return {
    accepted: acceptedLine,
    jobStart: handledLine.at - handledLine.ms,
    jobEnd: handledLine.at,
    replyStart: repliedLine.at - repliedLine.ms,
    asked: askedAt,
    firstTextAt: sample.firstTextAt,
    completedAt: sample.completedAt,
  };
}
