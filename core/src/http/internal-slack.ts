/**
 * `POST /internal/slack`: core's door for Slack payloads forwarded by the edge.
 *
 * Durable, idempotent acceptance: the request must carry the edge's signature over the exact
 * body (401 otherwise, and for a signature seen before), the body must be a forwarded payload or
 * batch (400 listing the problems), and each payload is appended to the event log and then
 * enqueued on the `message` queue under a job id derived from its team and event id. 202 means
 * newly accepted, 200 a duplicate of something already accepted (Slack retry, edge fallback
 * queue, two edges). A duplicate is enqueued again under the same id: a no-op when the job is
 * known, and the repair when core stopped between the append and the enqueue. A failing database
 * or Redis answers 503, so the edge keeps the payload in its fallback queue.
 *
 * Mount with `app.route("/", internalSlackRoute(deps))`.
 */
import { Hono } from "hono";
import { CORE_SIGNATURE_HEADER, verifyCoreRequest } from "../../../protocol/core-signature";
import {
  type BatchItemResult,
  type ForwardedBatchAnswer,
  parseForwardedBody,
} from "../../../protocol/forwarded-batch";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import type { Logger } from "../logging/logger";
import type { KeyValueCache } from "../ports/cache";
import type { EventLog, SlackEventInput, StoredSlackEvent } from "../ports/event-log";
import type { JobQueue } from "../ports/job-queue";
import type { AcceptanceResult, CoreMetrics } from "./metrics";

export const INTERNAL_SLACK_PATH = "/internal/slack";
/** Largest body core reads: a full batch of ordinary Slack payloads fits with room to spare. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/**
 * How long an accepted signature is remembered: the signature window (300 s) in both directions
 * plus a margin for clock steps, so a replay is refused for as long as its timestamp is valid.
 */
export const REPLAY_GUARD_SECONDS = 660;
/** Longest a database or Redis call may take before the request answers 503. */
export const DEFAULT_DEPENDENCY_TIMEOUT_MS = 2000;
/**
 * What the `message` job carries: enough to load the payload from the event log, and, for a
 * payload this request stored (up to INLINE_PAYLOAD_MAX_BYTES), the stored event itself, so the
 * job need not read it back.
 */
export interface MessageJobData {
  teamId: string;
  eventId: string;
  event?: StoredSlackEvent;
}

/** Payloads bigger than this stay out of the job (Redis) and are read from the event log. */
export const INLINE_PAYLOAD_MAX_BYTES = 16 * 1024;

export interface InternalSlackDependencies {
  /** CORE_SHARED_SECRET. */
  secret: string;
  eventLog: EventLog;
  queue: JobQueue;
  /** Remembers accepted signatures (the replay guard). */
  cache: KeyValueCache;
  logger: Logger;
  /** Unix milliseconds; default `Date.now`. */
  clock?: () => number;
  metrics?: CoreMetrics;
  maxBodyBytes?: number;
  dependencyTimeoutMs?: number;
}

/** The `message` queue's job id for one payload; BullMQ ids must not contain ':'. */
export function messageJobId(teamId: string, eventId: string): string {
  const safe = (part: string) =>
    part.replace(/[^A-Za-z0-9._]/g, (ch) => `~${ch.charCodeAt(0).toString(16)}~`);
  return `slack-${safe(teamId)}-${safe(eventId)}`;
}

/** An item's outcome: its HTTP status and, when refused, why. */
interface Outcome {
  status: 200 | 202 | 400 | 503;
  result: AcceptanceResult;
  message?: string;
}

/** The replay guard's verdict on a request's signature. */
type Gate = "fresh" | "replayed" | "unavailable";

class DependencyError extends Error {
  override readonly name = "DependencyError";
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A Slack id given as a string or as an object with an `id` (e.g. `user`, `channel`). */
function idOf(value: unknown): string | undefined {
  return text(value) ?? text(record(value)?.id);
}

/**
 * Maps a forwarded payload to an event log row, or explains why it cannot be stored.
 * Events: `event.type`, `event.user`, `event.channel`; commands: `command`, `user_id`,
 * `channel_id`; interactions: `type`, `user.id`, `channel.id` or `container.channel_id`.
 */
export function toSlackEventInput(
  forwarded: ForwardedPayload,
): { ok: true; input: SlackEventInput } | { ok: false; message: string } {
  const body = record(forwarded.payload);
  if (!body) return { ok: false, message: `${forwarded.id}: payload must be a JSON object` };
  let eventType: string | undefined;
  let userId: string | undefined;
  let channelId: string | undefined;
  // The edge sets teamId from the payload; null only when Slack sent none it could find.
  let teamId = forwarded.teamId ?? undefined;
  switch (forwarded.kind) {
    case "event": {
      const event = record(body.event);
      eventType = text(event?.type);
      userId = idOf(event?.user);
      channelId = idOf(event?.channel);
      teamId ??= text(body.team_id);
      if (!eventType)
        return { ok: false, message: `${forwarded.id}: payload.event.type is missing` };
      break;
    }
    case "command":
      eventType = text(body.command);
      userId = text(body.user_id);
      channelId = text(body.channel_id);
      teamId ??= text(body.team_id);
      if (!eventType) return { ok: false, message: `${forwarded.id}: payload.command is missing` };
      break;
    case "interaction": {
      const user = record(body.user);
      eventType = text(body.type);
      userId = text(user?.id);
      channelId = idOf(body.channel) ?? text(record(body.container)?.channel_id);
      teamId ??= text(record(body.team)?.id) ?? text(user?.team_id);
      if (!eventType) return { ok: false, message: `${forwarded.id}: payload.type is missing` };
      break;
    }
  }
  if (!teamId) {
    return {
      ok: false,
      message: `${forwarded.id}: no team: teamId is null and the payload names no team`,
    };
  }
  return {
    ok: true,
    input: {
      teamId,
      eventId: forwarded.id,
      kind: forwarded.kind,
      eventType,
      userId: userId ?? null,
      channelId: channelId ?? null,
      payload: forwarded.payload,
      retryNum: forwarded.retry.num,
      retryReason: forwarded.retry.reason,
    },
  };
}

/** Reads at most `limit` bytes of the body; undefined when it is larger. */
async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) return undefined;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DependencyError(`${what} timed out after ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates the `POST /internal/slack` route as a Hono sub-app. */
export function internalSlackRoute(deps: InternalSlackDependencies): Hono {
  const clock = deps.clock ?? Date.now;
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = deps.dependencyTimeoutMs ?? DEFAULT_DEPENDENCY_TIMEOUT_MS;
  const { logger } = deps;

  const dependency = <T>(work: () => Promise<T>, what: string): Promise<T> =>
    withTimeout(
      work().catch((error: unknown) => {
        throw new DependencyError(`${what} failed`, { cause: error });
      }),
      timeoutMs,
      what,
    );

  /**
   * Appends one payload, then (only once the replay guard has passed) enqueues it. The guard's
   * Redis round trip overlaps the INSERT: appending a replayed payload changes nothing, since
   * the request it replays was accepted (or released its signature when it was not).
   */
  async function accept(
    forwarded: ForwardedPayload,
    guard: Promise<Gate>,
    bodyBytes: number,
  ): Promise<Outcome> {
    const mapped = toSlackEventInput(forwarded);
    if (!mapped.ok) return { status: 400, result: "invalid", message: mapped.message };
    const { input } = mapped;
    const started = clock();
    try {
      const appended = await dependency(() => deps.eventLog.append(input), "event log append");
      if ((await guard) !== "fresh") return { status: 503, result: "unavailable" };
      const data: MessageJobData = { teamId: input.teamId, eventId: input.eventId };
      if (appended.inserted && bodyBytes <= INLINE_PAYLOAD_MAX_BYTES) {
        data.event = { ...input, id: appended.id, receivedAt: new Date(clock()) };
      }
      await dependency(
        () =>
          deps.queue.add("message", input.kind, data, {
            jobId: messageJobId(input.teamId, input.eventId),
          }),
        "message enqueue",
      );
      const outcome: Outcome = appended.inserted
        ? { status: 202, result: "accepted" }
        : { status: 200, result: "duplicate" };
      logger.debug(
        {
          eventId: input.eventId,
          teamId: input.teamId,
          kind: input.kind,
          eventType: input.eventType,
          userId: input.userId,
          channelId: input.channelId,
          retryNum: input.retryNum,
          status: outcome.status,
          ms: clock() - started,
        },
        outcome.result === "accepted" ? "slack payload accepted" : "duplicate slack payload",
      );
      return outcome;
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      logger.error(
        { err: error, cause: error.cause, eventId: input.eventId, teamId: input.teamId },
        "cannot accept slack payload: dependency failed",
      );
      return { status: 503, result: "unavailable", message: "temporarily unavailable" };
    }
  }

  const app = new Hono();
  app.post(INTERNAL_SLACK_PATH, async (c) => {
    const started = performance.now();
    const finish = (response: Response, results: AcceptanceResult[]) => {
      for (const result of results) deps.metrics?.eventsAccepted.inc({ result });
      deps.metrics?.acceptanceSeconds.observe({}, (performance.now() - started) / 1000);
      return response;
    };

    const body = await readLimited(c.req.raw, maxBody);
    if (body === undefined) {
      logger.warn({ limit: maxBody }, "internal slack: body too large");
      return c.json({ error: "payload_too_large", message: `body exceeds ${maxBody} bytes` }, 413);
    }

    const verified = await verifyCoreRequest(deps.secret, c.req.raw.headers, body, clock() / 1000);
    if (!verified.ok) {
      logger.warn({ reason: verified.reason }, "internal slack: signature rejected");
      return c.json({ error: "unauthorized" }, 401);
    }
    // A valid signature is accepted once: remember it for as long as its timestamp stays valid.
    const signature = c.req.header(CORE_SIGNATURE_HEADER) ?? "";
    const guardKey = `core-signature:${signature}`;
    const guard: Promise<Gate> = dependency(
      () => deps.cache.setIfAbsent(guardKey, "1", REPLAY_GUARD_SECONDS),
      "replay guard",
    ).then(
      (fresh) => (fresh ? "fresh" : "replayed"),
      (error: unknown) => {
        logger.error(
          { err: error, cause: (error as Error).cause },
          "internal slack: replay guard failed",
        );
        return "unavailable";
      },
    );
    /** The answer when the guard did not pass, or undefined when it did. */
    const refused = async (): Promise<Response | undefined> => {
      const gate = await guard;
      if (gate === "fresh") return undefined;
      if (gate === "unavailable") {
        return finish(c.json({ error: "unavailable" }, 503), ["unavailable"]);
      }
      logger.warn({ reason: "replayed" }, "internal slack: signature rejected");
      return c.json({ error: "unauthorized" }, 401);
    };
    // The edge re-sends a refused request byte for byte (same second, same signature): a
    // request core could not handle must not be locked out by its own replay guard.
    const release = () => deps.cache.delete(guardKey).catch(() => {});

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return (
        (await refused()) ??
        finish(
          c.json({ error: "invalid_json", message: `body is not valid JSON: ${reason}` }, 400),
          ["invalid"],
        )
      );
    }
    const parsed = parseForwardedBody(json);
    if (!parsed.ok) {
      const refusal = await refused();
      if (refusal) return refusal;
      logger.warn({ problems: parsed.problems }, "internal slack: invalid forwarded body");
      return finish(
        c.json(
          {
            error: "invalid_payload",
            message: `invalid forwarded payload: ${parsed.problems.join("; ")}`,
            problems: parsed.problems,
          },
          400,
        ),
        ["invalid"],
      );
    }

    if (parsed.kind === "single") {
      const outcome = await accept(parsed.payload, guard, body.length);
      const refusal = await refused();
      if (refusal) return refusal;
      if (outcome.status === 503) await release();
      const answer =
        outcome.status === 202 || outcome.status === 200
          ? { id: parsed.payload.id, status: outcome.result }
          : { id: parsed.payload.id, error: outcome.result, message: outcome.message };
      return finish(c.json(answer, outcome.status), [outcome.result]);
    }

    // Items are independent deliveries: accept them concurrently. The same id twice in one
    // batch is settled by the event log's unique key (one 202, one 200).
    // Each item's share of the body is close enough to decide whether it rides in its job.
    const share = body.length / parsed.items.length;
    const outcomes = await Promise.all(
      parsed.items.map((item) => accept(item.payload, guard, share)),
    );
    const refusal = await refused();
    if (refusal) return refusal;
    if (outcomes.some((outcome) => outcome.status === 503)) await release();
    const results: BatchItemResult[] = parsed.items.map((item, i) => ({
      id: item.payload.id,
      status: outcomes[i]?.status ?? 503,
    }));
    const problems = outcomes.flatMap((o) => (o.status === 400 && o.message ? [o.message] : []));
    if (problems.length > 0) logger.warn({ problems }, "internal slack: invalid batch items");
    const answer: ForwardedBatchAnswer & { problems?: string[] } = { results };
    if (problems.length > 0) answer.problems = problems;
    return finish(
      c.json(answer, 200),
      outcomes.map((o) => o.result),
    );
  });
  return app;
}
