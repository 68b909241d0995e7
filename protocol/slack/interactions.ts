/**
 * Interactivity payloads (`POST /slack/interactions`, the JSON in the form field `payload`):
 * block actions, view submissions and closings, global shortcuts and message shortcuts.
 * Other types (e.g. `block_suggestion`, which needs a synchronous answer) are acknowledged and
 * ignored.
 */
import * as v from "valibot";

const slackId = v.pipe(v.string(), v.minLength(1));

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
