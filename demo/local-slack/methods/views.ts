/**
 * views.publish: the App Home tab, one view per user. Publishing with a stale `hash` fails with
 * `hash_conflict`, which is how Slack protects against two writers racing.
 */

import { MAX_BLOCKS } from "../message-content";
import {
  invalidArguments,
  optionalJson,
  optionalString,
  requiredString,
  SlackApiError,
} from "../method-args";
import type { MethodContext, MethodTable } from "../slack-api";

/** App Home views may hold up to 100 blocks (messages only 50). */
const MAX_VIEW_BLOCKS = MAX_BLOCKS * 2;

function publish({ workspace, args, caller }: MethodContext) {
  const user = workspace.user(requiredString(args, "user_id", "user_not_found"));
  const view = optionalJson(args, "view");
  if (typeof view !== "object" || view === null || Array.isArray(view)) {
    throw invalidArguments("missing required field: view");
  }
  const input = view as Record<string, unknown>;
  if (input.type !== "home") throw invalidArguments("view.type must be home");
  const blocks = input.blocks;
  if (!Array.isArray(blocks) || blocks.length > MAX_VIEW_BLOCKS)
    throw new SlackApiError("invalid_blocks");
  const hash = optionalString(args, "hash");
  const previous = workspace.views.get(user.id);
  if (hash !== undefined && previous && previous.hash !== hash)
    throw new SlackApiError("hash_conflict");
  const { teamId, appId, botId } = workspace.identity;
  const id =
    typeof previous?.id === "string"
      ? previous.id
      : `V0FAKE${workspace.clock.next().replace(".", "")}`;
  const published = {
    id,
    team_id: teamId,
    type: "home",
    blocks,
    private_metadata: input.private_metadata ?? "",
    callback_id: input.callback_id ?? "",
    external_id: input.external_id ?? "",
    state: { values: {} },
    hash: `${workspace.clock.next()}.fakehash`,
    title: input.title ?? { type: "plain_text", text: "View Title" },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    previous_view_id: null,
    root_view_id: id,
    app_id: caller.appId ?? appId,
    app_installed_team_id: teamId,
    bot_id: caller.botId ?? botId,
  };
  workspace.publishView(user.id, published);
  return { view: published };
}

/** views.publish. */
export const viewMethods: MethodTable = {
  "views.publish": publish,
};
