/**
 * The one object that satisfies every feature's dependencies: the ports, the settings the
 * features read, this process's working memory, and the listeners the `message` queue hands
 * each Slack payload to (bolt's dispatcher table: a payload kind, the feature that handles it).
 */
import { type CommandsDeps, handleCommand, handleInteraction } from "../features/commands";
import { type EventsDeps, handleSlackEvent } from "../features/events";
import type { ForgetDeps } from "../features/forget";
import type { SlackListeners } from "../features/intake";
import type { Ports } from "../ports";

/** Every feature's Deps at once (each feature's functions take the part they name). */
export type FeatureDeps = Ports & EventsDeps & CommandsDeps & ForgetDeps;

export type PupDeps = FeatureDeps & { slackListeners: SlackListeners };

/** Events go to the events feature; commands and interactions to the commands feature. */
export function slackListeners(deps: FeatureDeps): SlackListeners {
  return {
    event: (event) => handleSlackEvent(deps, event),
    command: (event) => handleCommand(deps, event.payload, event.eventId),
    interaction: (event) => handleInteraction(deps, event.payload),
  };
}
