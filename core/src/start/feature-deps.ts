/**
 * The one object that satisfies every feature's dependencies: the ports, the settings the
 * features read, this process's working memory, and the listeners the `message` queue hands
 * each Slack payload to (bolt's dispatcher table: a payload kind, the feature that handles it).
 */
import { type CommandsDeps, handleCommand, handleInteraction } from "../features/commands";
import { type EventsDeps, handleSlackEvent, isLifecycleEvent } from "../features/events";
import { type ForgetDeps, isInstalled } from "../features/forget";
import type { SlackListeners } from "../features/intake";
import type { Ports } from "../ports";

/** Every feature's Deps at once (each feature's functions take the part they name). */
export type FeatureDeps = Ports & EventsDeps & CommandsDeps & ForgetDeps;

export type PupDeps = FeatureDeps & { slackListeners: SlackListeners };

/**
 * Events go to the events feature; commands and interactions to the commands feature. Every
 * payload of an uninstalled workspace stops at `admits` (ADR-034), except the lifecycle events
 * themselves (a repeated uninstall or revoked token is still recorded).
 */
export function slackListeners(deps: FeatureDeps): SlackListeners {
  return {
    admits: async (event) => isLifecycleEvent(event) || (await isInstalled(deps, event.teamId)),
    event: (event) => handleSlackEvent(deps, event),
    command: (event) => handleCommand(deps, event.payload, event.eventId),
    interaction: (event) => handleInteraction(deps, event.payload),
  };
}
