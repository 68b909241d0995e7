/** reactions.add / reactions.remove: emoji reactions on a message, one per user and name. */
import { requiredString } from "../method-args";
import type { MethodContext, MethodTable } from "../slack-api";

/** The message a reaction call points at, and the emoji name without surrounding colons. */
function reactionTarget({ workspace, args }: MethodContext) {
  const channel = workspace.conversation(requiredString(args, "channel", "channel_not_found")).id;
  const ts = requiredString(args, "timestamp", "message_not_found");
  const name = requiredString(args, "name", "invalid_name").replace(/^:|:$/g, "");
  return { channel, ts, name };
}

function add(context: MethodContext) {
  const { channel, ts, name } = reactionTarget(context);
  context.workspace.addReaction(channel, ts, name, context.caller.userId);
  return {};
}

function remove(context: MethodContext) {
  const { channel, ts, name } = reactionTarget(context);
  context.workspace.removeReaction(channel, ts, name, context.caller.userId);
  return {};
}

/** The reactions.* methods. */
export const reactionMethods: MethodTable = {
  "reactions.add": add,
  "reactions.remove": remove,
};
