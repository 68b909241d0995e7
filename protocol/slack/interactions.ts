/**
 * Interactivity payloads (`POST /slack/interactions`, the JSON in the form field `payload`):
 * block actions, view submissions and closings, global shortcuts and message shortcuts.
 * Other types (e.g. `block_suggestion`, which needs a synchronous answer) are acknowledged and
 * ignored by the edge.
 *
 * As Slack sends them (`interactionSchema`): what the edge checks before forwarding. As core
 * reads them (`forwardedInteractionSchema`): lenient, the fields pup reads, told apart by type.
 */
import * as v from "valibot";
import { anyText, nestedObject, nonEmptyText, slackId, slackIdRef } from "./fields";

const team = v.nullable(v.looseObject({ id: slackId, domain: v.optional(v.string()) }));
const user = v.looseObject({
  id: slackId,
  team_id: v.optional(v.string()),
  username: v.optional(v.string()),
  name: v.optional(v.string()),
});
const view = v.looseObject({
  id: slackId,
  type: v.optional(v.string()),
  callback_id: v.optional(v.string()),
  hash: v.optional(v.string()),
  private_metadata: v.optional(v.string()),
  state: v.optional(v.unknown()),
});
const common = {
  token: v.optional(v.string()),
  api_app_id: v.optional(v.string()),
  team,
  user,
  enterprise: v.nullish(v.unknown()),
  is_enterprise_install: v.optional(v.boolean()),
};

export const blockActionsSchema = v.looseObject({
  ...common,
  type: v.literal("block_actions"),
  trigger_id: v.optional(v.string()),
  response_url: v.optional(v.string()),
  container: v.optional(v.looseObject({ type: v.string() })),
  channel: v.optional(v.looseObject({ id: slackId, name: v.optional(v.string()) })),
  view: v.optional(view),
  actions: v.pipe(
    v.array(
      v.looseObject({
        type: v.string(),
        action_id: v.string(),
        block_id: v.optional(v.string()),
        action_ts: v.optional(v.string()),
        value: v.optional(v.string()),
      }),
    ),
    v.minLength(1),
  ),
});

export const viewSubmissionSchema = v.looseObject({
  ...common,
  type: v.literal("view_submission"),
  trigger_id: v.optional(v.string()),
  view,
  response_urls: v.optional(v.array(v.unknown())),
});

export const viewClosedSchema = v.looseObject({
  ...common,
  type: v.literal("view_closed"),
  view,
  is_cleared: v.optional(v.boolean()),
});

export const shortcutSchema = v.looseObject({
  ...common,
  type: v.literal("shortcut"),
  callback_id: slackId,
  trigger_id: slackId,
  action_ts: v.optional(v.string()),
});

export const messageActionSchema = v.looseObject({
  ...common,
  type: v.literal("message_action"),
  callback_id: slackId,
  trigger_id: slackId,
  action_ts: v.optional(v.string()),
  message_ts: v.optional(v.string()),
  response_url: v.optional(v.string()),
  channel: v.looseObject({ id: slackId, name: v.optional(v.string()) }),
  message: v.looseObject({ ts: v.optional(v.string()), text: v.optional(v.string()) }),
});

/** The interaction types the edge forwards. */
export const INTERACTION_TYPES = [
  "block_actions",
  "view_submission",
  "view_closed",
  "shortcut",
  "message_action",
] as const;

export const interactionSchema = v.variant("type", [
  blockActionsSchema,
  viewSubmissionSchema,
  viewClosedSchema,
  shortcutSchema,
  messageActionSchema,
]);

export type Interaction = v.InferOutput<typeof interactionSchema>;

// As core reads them. Only `type` decides which schema reads a payload; no field makes it fail.

/** `actions[]` as pup reads them; an entry that is not an object reads as one without fields. */
const forwardedActions = v.fallback(
  v.optional(
    v.array(
      v.fallback(
        v.object({
          action_id: anyText,
          block_id: anyText,
          value: anyText,
          action_ts: anyText,
        }),
        {},
      ),
    ),
  ),
  undefined,
);

/** What pup reads from every interaction, whatever its type (the event log reads these). */
const everyInteraction = {
  team: nestedObject({ id: nonEmptyText }),
  user: nestedObject({ id: nonEmptyText, team_id: nonEmptyText }),
  /** An object with an `id` (block actions, message shortcuts). */
  channel: slackIdRef,
  /**
   * Where a block action happened: a message (`type` `message`, with its channel and ts; an
   * ephemeral one too) or a view (`view`: the App Home, a modal).
   */
  container: nestedObject({
    type: nonEmptyText,
    channel_id: nonEmptyText,
    message_ts: nonEmptyText,
    view_id: nonEmptyText,
  }),
  trigger_id: nonEmptyText,
  api_app_id: nonEmptyText,
  /** What was clicked or chosen: block actions carry them; read wherever they are. */
  actions: forwardedActions,
};

const forwardedView = nestedObject({
  id: nonEmptyText,
  callback_id: nonEmptyText,
  hash: nonEmptyText,
  private_metadata: anyText,
});

export const forwardedBlockActionsSchema = v.object({
  ...everyInteraction,
  type: v.literal("block_actions"),
  response_url: nonEmptyText,
  /** The view a button was pressed in (the App Home): its `private_metadata` is pup's own. */
  view: forwardedView,
});

export const forwardedViewSubmissionSchema = v.object({
  ...everyInteraction,
  type: v.literal("view_submission"),
  view: forwardedView,
});

export const forwardedViewClosedSchema = v.object({
  ...everyInteraction,
  type: v.literal("view_closed"),
  view: forwardedView,
});

export const forwardedShortcutSchema = v.object({
  ...everyInteraction,
  type: v.literal("shortcut"),
  callback_id: nonEmptyText,
});

export const forwardedMessageActionSchema = v.object({
  ...everyInteraction,
  type: v.literal("message_action"),
  callback_id: nonEmptyText,
  response_url: nonEmptyText,
  message: nestedObject({ ts: nonEmptyText, text: anyText }),
});

/** An interaction of a type the edge does not forward (or with no type): read like any other. */
export const forwardedOtherInteractionSchema = v.object({
  ...everyInteraction,
  /** Any string, the empty one included. */
  type: anyText,
});

export const forwardedInteractionSchema = v.variant("type", [
  forwardedBlockActionsSchema,
  forwardedViewSubmissionSchema,
  forwardedViewClosedSchema,
  forwardedShortcutSchema,
  forwardedMessageActionSchema,
  forwardedOtherInteractionSchema,
]);

export type ForwardedInteraction = v.InferOutput<typeof forwardedInteractionSchema>;
