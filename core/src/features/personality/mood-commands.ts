/**
 * `/pup mood` (the conversation's mood, since when, and the last changes with their reasons) and
 * `/pup tone` (the channel's tone rules; admins and owners may forbid or allow a mood there).
 */

import type { MoodTransitionRecord } from "../../ports/mood-store";
import type { Mood } from "../../ports/slack-vocabulary";
import { refusalText, runAdminAction } from "../admin";
import { ensureChannel, ensureWorkspace } from "../directory";
import { parseToneRules } from "./context";
import type { MoodCommandDeps } from "./deps";
import { currentMood } from "./mood";
import { moodScope } from "./mood-signals";
import { moodStyle } from "./persona";

interface Invocation {
  teamId: string;
  userId: string;
  channelId: string;
  args: string;
}

/** Transitions `/pup mood` lists. */
const HISTORY_SHOWN = 5;
const MOODS: readonly Mood[] = ["neutral", "friendly", "sarcastic", "enthusiastic"];

const title = (mood: Mood) => `${mood[0]?.toUpperCase()}${mood.slice(1)}`;

/** "just now", "4 minutes ago", "2 hours ago", "3 days ago". */
export function ago(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

export const moodCommand = {
  name: "mood",
  usage: "/pup mood",
  summary: "pup's mood in this conversation, and why",
  async run(deps: MoodCommandDeps, invocation: Invocation): Promise<string> {
    await ensureWorkspace(deps, invocation.teamId);
    const channel = await ensureChannel(deps, invocation.teamId, invocation.channelId, null);
    const { scope, rules } = moodScope(deps, channel);
    // Any decay due is applied (and recorded) first, so the answer is the mood right now.
    const mood = await currentMood(deps, scope);
    const history = await deps.moods.history(
      invocation.teamId,
      invocation.channelId,
      HISTORY_SHOWN,
    );
    const now = deps.now();
    const reaction = moodStyle(deps.personality.persona, mood.mood).reaction;
    const lines = [
      `pup's mood here: *${title(mood.mood)}*${reaction ? ` :${reaction}:` : ""} ` +
        `(mood: ${mood.mood}, since ${ago(now - mood.since)})`,
    ];
    if (history.length === 0) {
      lines.push("No changes yet: pup starts neutral in every conversation.");
    } else {
      lines.push("Latest changes:");
      for (const change of history) lines.push(describe(deps, invocation, change, now));
    }
    if (rules.forbidden.length > 0) {
      lines.push(`Tone rules here: never ${rules.forbidden.join(", never ")}.`);
    }
    return lines.join("\n");
  },
};

function describe(
  deps: MoodCommandDeps,
  invocation: Invocation,
  change: MoodTransitionRecord,
  now: number,
): string {
  const link = change.messageTs
    ? ` (<${deps.slack.permalink(invocation.teamId, invocation.channelId, change.messageTs)}|message>)`
    : "";
  return `• ${change.from} → ${change.to}, ${ago(now - change.at.getTime())}: ${change.reason}${link}`;
}

export const toneCommand = {
  name: "tone",
  usage: "/pup tone [never|allow <mood>]",
  summary: "this channel's tone rules; admins can forbid a mood here (e.g. `never sarcastic`)",
  async run(deps: MoodCommandDeps, invocation: Invocation): Promise<string> {
    await ensureWorkspace(deps, invocation.teamId);
    const channel = await ensureChannel(deps, invocation.teamId, invocation.channelId, null);
    const rules = parseToneRules(channel.toneRules);
    const [verb = "", moodName = "", ...rest] = invocation.args
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
    const shown = () =>
      rules.forbidden.length === 0
        ? "No tone rules here: pup may be in any mood."
        : `Tone rules here: never ${rules.forbidden.join(", never ")}.`;
    if (verb === "") return shown();
    const mood = MOODS.find((m) => m === moodName);
    if ((verb !== "never" && verb !== "allow") || !mood || rest.length > 0) {
      return `Usage: \`${toneCommand.usage}\`, where <mood> is friendly, sarcastic or enthusiastic.`;
    }
    if (mood === "neutral") {
      return "pup can't be kept from being neutral: it is where every other mood settles.";
    }
    // Roles are checked live (Slack's `users.info`, at most a minute old, plus pup's grants): the
    // directory's role column is filled once at first sight and kept a demoted admin's powers.
    return runAdminAction(
      deps,
      invocation,
      { action: "admin.tone.set", args: { verb, mood } },
      async () => {
        const forbidden =
          verb === "never"
            ? MOODS.filter((m) => m === mood || rules.forbidden.includes(m))
            : rules.forbidden.filter((m) => m !== mood);
        const updated = await deps.directory.upsertChannel({
          teamId: invocation.teamId,
          channelId: invocation.channelId,
          visibility: channel.visibility,
          toneRules: { ...channel.toneRules, forbidden },
        });
        // A mood the channel now forbids is left at once (and the change recorded with its reason).
        const { scope } = moodScope(deps, updated);
        const now = await currentMood(deps, scope);
        const rulesText =
          forbidden.length === 0
            ? "No tone rules here now."
            : `Tone rules here: never ${forbidden.join(", never ")}.`;
        return {
          answer: `${verb === "never" ? `pup will never be ${mood} here.` : `pup may be ${mood} here again.`} ${rulesText} Mood now: ${now.mood}.`,
          result: { forbidden, before: rules.forbidden },
        };
      },
      (reason) => `${refusalText(reason, "change tone rules")} ${shown()}`,
    );
  },
};
