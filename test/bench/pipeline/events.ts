/**
 * The events a pipeline run sends: each a distinct person's message in the local Slack that
 * mentions pup (so each deserves its own threaded reply), delivered as the edge would, as a
 * signed forward to `POST /internal/slack`. pup and the floor get the same client path.
 */
import { INTERNAL_SLACK_PATH } from "../../../core/src/features/intake/route";
import { signCoreRequest } from "../../../protocol/core-signature";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import { TEST_CORE_SHARED_SECRET } from "../../e2e/edge/workerd";
import { type Pipeline, PUP, said, TEAM } from "../../e2e/pipeline/harness";
import type { EventSource } from "./open-loop";

/** POSTs one freshly signed forward of `envelope` to `origin`; resolves with the status. */
export async function postForward(
  origin: string,
  envelope: Record<string, unknown>,
): Promise<number> {
  const payload: ForwardedPayload = {
    version: 1,
    kind: "event",
    id: String(envelope.event_id),
    teamId: TEAM,
    receivedAt: new Date().toISOString(),
    retry: { num: 0, reason: null },
    payload: envelope,
  };
  const body = JSON.stringify(payload);
  const response = await fetch(`${origin}${INTERNAL_SLACK_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(await signCoreRequest(TEST_CORE_SHARED_SECRET, body, Date.now() / 1000)),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Mentions of pup in `channel`, each one sent to `origin`. */
export function mentionSource(
  pipeline: Pipeline,
  origin: string,
  channel: string,
  label: string,
): EventSource {
  return {
    prepare(index) {
      const { ts, envelope } = said(pipeline, `<@${PUP}> question ${label}-${index}?`, {
        mention: true,
        channel,
      });
      return {
        channel,
        ts,
        eventId: String(envelope.event_id),
        send: () => postForward(origin, envelope),
      };
    },
  };
}
