/**
 * pup's buttons (block actions), from an ephemeral answer or the App Home:
 *
 * - `forget_me_confirm` forgets the person who pressed it, whatever the button's value says
 *   (the value only tells presses apart), then says what went: the ephemeral answer is replaced
 *   through the action's `response_url`, or the App Home is republished with the counts.
 * - `forget_me_cancel` replaces the question with "nothing was forgotten".
 * - `forget_message` forgets the message(s) its value names, if the presser wrote them or is an
 *   admin (features/forget decides and audit-logs a refusal), then shows the list without them.
 * - `home_page` republishes the App Home at another page.
 *
 * A press that forgets is claimed in the bot reply log first (answer-once.ts), so a double
 * click or a redelivery neither forgets nor answers twice.
 */
import type { ForwardedInteraction } from "../../../../protocol/slack";
import { forgetMessage, forgetUser } from "../forget";
import {
  type AnswerTarget,
  actionSendKey,
  claimAnswer,
  mayHaveShown,
  sendAnswer,
} from "./answer-once";
import type { CommandAnswer } from "./command-types";
import type { CommandsDeps } from "./deps";
import { forgotYouText } from "./forget-command";
import { publishAppHome, refreshHomes } from "./home";
import { parseMessageValues } from "./message-link";
import { rememberWithBlocks } from "./remember";
import { pageNumber } from "./remembered";
import { ACTION } from "./remembered-blocks";

type BlockActions = Extract<ForwardedInteraction, { type: "block_actions" }>;

/** The schema read a payload of type `block_actions` as one (protocol/slack/interactions.ts). */
export function isBlockActions(
  interaction: ForwardedInteraction | undefined,
): interaction is BlockActions {
  return interaction?.type === "block_actions";
}

/** The bot reply log's channel for a claim made from the App Home (it has no channel). */
const APP_HOME_CHANNEL = "app_home";

/** Who pressed which button where, and where the answer goes. */
interface Press {
  teamId: string;
  userId: string;
  actionId: string;
  value: string;
  /** The App Home (republished), or a message (answered through `response_url`). */
  surface: { kind: "home"; page: number } | { kind: "message"; target: AnswerTarget };
}

const KNOWN_ACTIONS = new Set<string>(Object.values(ACTION));

/** Reads the press; undefined for a payload that names no team, user or known action. */
function pressOf(interaction: BlockActions): Press | undefined {
  const teamId = interaction.team?.id ?? interaction.user?.team_id;
  const userId = interaction.user?.id;
  const action = (interaction.actions ?? []).find(
    (candidate) => candidate.action_id !== undefined && KNOWN_ACTIONS.has(candidate.action_id),
  );
  if (!teamId || !userId || !action?.action_id) return undefined;
  const value = action.value ?? "";
  const actionId = action.action_id;
  if (interaction.container?.type === "view") {
    return {
      teamId,
      userId,
      actionId,
      value,
      surface: { kind: "home", page: pageNumber(interaction.view?.private_metadata) },
    };
  }
  const channel = interaction.channel;
  const channelId =
    interaction.container?.channel_id ?? (typeof channel === "string" ? channel : channel?.id);
  const target: AnswerTarget = {
    teamId,
    userId,
    channelId: channelId ?? APP_HOME_CHANNEL,
    responseUrl: interaction.response_url,
    sendKey: actionSendKey({ teamId, userId, actionId, value }),
  };
  return { teamId, userId, actionId, value, surface: { kind: "message", target } };
}

/** Handles one `block_actions` payload (already parsed by the router). */
export async function handleBlockActions(
  deps: CommandsDeps,
  interaction: BlockActions,
): Promise<void> {
  const press = pressOf(interaction);
  if (!press) {
    const actionIds = (interaction.actions ?? []).map((action) => action.action_id);
    deps.logger.info({ actionIds }, "block action pup does not handle; ignored");
    return;
  }
  switch (press.actionId) {
    case ACTION.homePage:
      await publishAppHome(deps, press.teamId, press.userId, { page: pageNumber(press.value) });
      return;
    case ACTION.forgetMeCancel:
      await cancelForgetMe(deps, press);
      return;
    case ACTION.forgetMeConfirm:
      await once(deps, press, async () => {
        // Only ever the presser: the value is not trusted to name anyone.
        const report = await forgetUser(deps, {
          teamId: press.teamId,
          userId: press.userId,
          actor: press.userId,
        });
        // Pressed in a message: the Home Slack shows them may still list what went.
        if (press.surface.kind === "message")
          await refreshHomes(deps, press.teamId, [press.userId]);
        return { text: forgotYouText(report) };
      });
      return;
    case ACTION.forgetMessage:
      await once(deps, press, async () => {
        const notice = await forgetPressed(deps, press);
        // In a message, the button came from `/pup remember`: show it again without the item.
        return press.surface.kind === "message"
          ? rememberWithBlocks(deps, press.teamId, press.userId, notice)
          : { text: notice };
      });
      return;
  }
}

/** Forgets what a `forget_message` button names, as the presser; the notice to show. */
async function forgetPressed(deps: CommandsDeps, press: Press): Promise<string> {
  const messages = parseMessageValues(press.value);
  if (messages.length === 0) return "That button names no message I know.";
  const outcomes = [];
  for (const message of messages) {
    outcomes.push(await forgetMessage(deps, { teamId: press.teamId, ...message }, press.userId));
  }
  // Authors' Homes may list what went (the presser's own is republished by a Home press).
  const authors = outcomes.flatMap((outcome) =>
    outcome.status === "forgotten" &&
    !(press.surface.kind === "home" && outcome.author === press.userId)
      ? [outcome.author]
      : [],
  );
  await refreshHomes(deps, press.teamId, authors);
  if (outcomes.some((outcome) => outcome.status === "not_allowed")) {
    return "Only its author or an admin can make me forget that message. I noted the attempt.";
  }
  if (outcomes.some((outcome) => outcome.status === "forgotten")) {
    return messages.length === 1
      ? "Forgotten: that message and what I drew only from it."
      : "Forgotten: those messages and what I drew only from them.";
  }
  return "I have no such message stored (it may be forgotten already).";
}

/**
 * Runs `work` for a press once: claimed first (a second press of the same button, or the same
 * press delivered again, does nothing), released if `work` fails so the job's retry redoes it.
 */
async function once(
  deps: CommandsDeps,
  press: Press,
  work: () => Promise<CommandAnswer>,
): Promise<void> {
  const target: AnswerTarget =
    press.surface.kind === "message"
      ? press.surface.target
      : {
          teamId: press.teamId,
          userId: press.userId,
          channelId: APP_HOME_CHANNEL,
          responseUrl: undefined,
          sendKey: actionSendKey(press),
        };
  if (!(await claimAnswer(deps, target, undefined))) {
    deps.logger.info(
      { teamId: press.teamId, actionId: press.actionId, sendKey: target.sendKey },
      "button already handled; not again",
    );
    return;
  }
  let answer: CommandAnswer;
  try {
    answer = await work();
  } catch (error) {
    await deps.botReplies.recordFailed(target.teamId, target.sendKey, `action failed: ${error}`);
    throw error;
  }
  if (press.surface.kind === "message") {
    await sendAnswer(deps, target, answer, { replaceOriginal: true });
    return;
  }
  await republishHome(deps, target, press.surface.page, answer.text);
}

/** The App Home's answer to a press: the Home again, with what the press did at the top. */
async function republishHome(
  deps: CommandsDeps,
  target: AnswerTarget,
  page: number,
  notice: string,
): Promise<void> {
  try {
    const published = await publishAppHome(deps, target.teamId, target.userId, { page, notice });
    await deps.botReplies.recordSent(target.teamId, target.sendKey, {
      replyTs: published ? "app_home" : "app_home:uninstalled",
    });
  } catch (error) {
    if (mayHaveShown(error)) {
      await deps.botReplies.recordSent(target.teamId, target.sendKey, {
        replyTs: "app_home:unconfirmed",
      });
      return;
    }
    await deps.botReplies.recordFailed(target.teamId, target.sendKey, String(error));
    throw error;
  }
}

/** "Cancel" on the confirmation: nothing is forgotten, and the question goes away. */
async function cancelForgetMe(deps: CommandsDeps, press: Press): Promise<void> {
  if (press.surface.kind !== "message" || !press.surface.target.responseUrl) return;
  try {
    await deps.slack.respond(press.surface.target.responseUrl, "Nothing was forgotten.", {
      replaceOriginal: true,
    });
  } catch (error) {
    // Nothing was done, and the question stays answerable: no retry needed.
    deps.logger.warn({ err: error, teamId: press.teamId }, "cancel answer not shown");
  }
}
