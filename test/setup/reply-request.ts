/**
 * A person's message said in the local Slack and stored as the events feature stores it (the
 * directory completed, the message upserted and remembered short-term), returned as the request
 * `replyTo` answers: for tests that drive the reply use case directly (reply tests, the injection
 * set).
 */
import { ensureChannel, ensureUser, ensureWorkspace } from "../../core/src/features/directory";
import { rememberShortTerm } from "../../core/src/features/memory";
import type { ReplyRequest } from "../../core/src/features/reply";
import type { ChannelVisibility } from "../../core/src/ports/slack-vocabulary";
import { ALICE, type InProcessPup, PUP, type SaidOptions, TEAM } from "./in-process-pup";

/** A conversation's kind from its id, as the local Slack hands them out (D…, G…, C…). */
export function visibilityOf(channelId: string): ChannelVisibility {
  return channelId.startsWith("D")
    ? "dm"
    : channelId.startsWith("G")
      ? "private_channel"
      : "public_channel";
}

export async function arrived(
  pup: InProcessPup,
  channelId: string,
  text: string,
  options: SaidOptions = {},
): Promise<ReplyRequest> {
  const { deps } = pup;
  const user = options.user ?? ALICE;
  const { ts, envelope } = pup.said(channelId, text, options);
  const visibility = visibilityOf(channelId);
  await ensureWorkspace(deps, TEAM);
  const channel = await ensureChannel(deps, TEAM, channelId, visibility);
  await ensureUser(deps, TEAM, user);
  const threadTs = options.threadTs ?? null;
  const postedAt = new Date(Number(ts) * 1000);
  const stored = await deps.messages.upsert({
    teamId: TEAM,
    channelId,
    ts,
    threadTs,
    userId: user,
    text,
    visibility,
    postedAt,
  });
  await rememberShortTerm(deps, TEAM, channelId, [stored]);
  return {
    message: {
      teamId: TEAM,
      channelId,
      visibility,
      ts,
      threadTs,
      userId: user,
      text,
      postedAt,
      mentionsPup: text.includes(`<@${PUP}>`),
    },
    channel,
    identity: await pup.identity(),
    reason: visibility === "dm" ? "direct_message" : "mention",
    assistantThread: false,
    eventId: String(envelope.event_id),
  };
}
