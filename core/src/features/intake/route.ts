/**
 * `POST /internal/slack`: core's door for Slack payloads forwarded by the edge.
 *
 * Durable, idempotent acceptance: the request must carry the edge's signature over the exact
 * body (401 otherwise, and for a signature seen before), the body must be a forwarded payload or
 * batch (400 listing the problems), and each payload is appended to the event log and then
 * enqueued on the `message` queue under a job id derived from its team and event id. 202 means
 * newly accepted, 200 a duplicate of something already accepted (Slack retry, edge fallback
 * queue, two edges), or a payload whose author has since been forgotten (ADR-034: acknowledged,
 * never stored or queued). A duplicate is enqueued again under the same id: a no-op when the job is
 * known, and the repair when core stopped between the append and the enqueue. A failing database
 * or Redis answers 503, so the edge keeps the payload in its fallback queue.
 *
 * Mount with `app.route("/", internalSlackRoute(deps))`.
 */
import { Hono } from "hono";
import { CORE_SIGNATURE_HEADER, verifyCoreRequest } from "../../../../protocol/core-signature";
import {
  type BatchItemResult,
  type ForwardedBatchAnswer,
  parseForwardedBody,
} from "../../../../protocol/forwarded-batch";
import type { ForwardedPayload } from "../../../../protocol/forwarded-payload";
import type { KeyValueCache } from "../../ports/cache";
import type { EventLog } from "../../ports/event-log";
import type { JobQueue } from "../../ports/job-queue";
import type { Logger } from "../../ports/logger";
import { enqueueJob } from "../../shared/jobs";
import type { AcceptanceResult, CoreMetrics } from "../observability";
import { DependencyError, dependencyCall } from "./dependency-call";
import { INLINE_PAYLOAD_MAX_BYTES, type MessageJobData, messageJob } from "./message-job";
import { readLimited } from "./read-body";
import { toSlackEventInput } from "./slack-event-input";

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

/** An item's outcome: its HTTP status and, when refused, why. */
interface Outcome {
  status: 200 | 202 | 400 | 503;
  result: AcceptanceResult;
  message?: string;
}

/** The replay guard's verdict on a request's signature. */
type Gate = "fresh" | "replayed" | "unavailable";

/**
 * A Slack deletion (or a thread parent's tombstone edit) names the deleted text in
 * `previous_message`. Its payload stays out of its job: the forget it triggers redacts the event
 * log and removes the other jobs holding the text, but not this one, which is running then and
 * kept for a day after (ADR-034); the worker reads the payload from the log instead.
 */
function carriesDeletedText(payload: unknown): boolean {
  const event = (payload as { event?: { subtype?: unknown; message?: { subtype?: unknown } } })
    ?.event;
  if (event?.subtype === "message_deleted") return true;
  return event?.subtype === "message_changed" && event.message?.subtype === "tombstone";
}

/** Creates the `POST /internal/slack` route as a Hono sub-app. */
export function internalSlackRoute(deps: InternalSlackDependencies): Hono {
  const clock = deps.clock ?? Date.now;
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = deps.dependencyTimeoutMs ?? DEFAULT_DEPENDENCY_TIMEOUT_MS;
  const { logger } = deps;

  const dependency = <T>(work: () => Promise<T>, what: string): Promise<T> =>
    dependencyCall(work, what, timeoutMs);

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
      if (!appended.inserted && appended.forgotten) {
        // Its author asked pup to forget them after it happened (ADR-034): acknowledged, so
        // nobody sends it again, and neither stored nor queued. Logged without its author.
        logger.info(
          { eventId: input.eventId, teamId: input.teamId, kind: input.kind, status: 200 },
          "slack payload of a forgotten author: not stored",
        );
        return { status: 200, result: "forgotten" };
      }
      const data: MessageJobData = {
        teamId: input.teamId,
        eventId: input.eventId,
        kind: input.kind,
      };
      if (
        appended.inserted &&
        bodyBytes <= INLINE_PAYLOAD_MAX_BYTES &&
        !carriesDeletedText(input.payload)
      ) {
        data.event = { ...input, id: appended.id, receivedAt: new Date(clock()) };
      }
      await dependency(() => enqueueJob(deps.queue, messageJob, data), "message enqueue");
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
    // The verifier reads hex in either case, so the guard keys on one spelling: otherwise
    // upper-casing a single letter of a captured signature would replay the request.
    const signature = (c.req.header(CORE_SIGNATURE_HEADER) ?? "").toLowerCase();
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
