/**
 * assistant.threads.setStatus / setSuggestedPrompts / setTitle: the "is thinking…" status, the
 * suggested prompts and the title of an assistant thread. Each answers a bare `{ok:true}`.
 */
import {
  invalidArguments,
  optionalJsonArray,
  optionalString,
  requiredString,
} from "../method-args";
import type { MethodContext, MethodTable } from "../slack-api";

/** Slack shows at most four suggested prompts. */
const MAX_PROMPTS = 4;

function threadOf({ workspace, args }: MethodContext) {
  const channel = workspace.conversation(
    requiredString(args, "channel_id", "channel_not_found"),
  ).id;
  return { channel, threadTs: requiredString(args, "thread_ts") };
}

function setStatus(context: MethodContext) {
  const { channel, threadTs } = threadOf(context);
  // An empty status is how callers clear it, so it must not count as missing.
  const status = context.args.status;
  if (typeof status !== "string") throw invalidArguments("missing required field: status");
  const loading = optionalJsonArray(context.args, "loading_messages");
  context.workspace.updateAssistantThread(channel, threadTs, {
    status,
    ...(loading ? { loading_messages: loading.map(String) } : {}),
  });
  return {};
}

function setSuggestedPrompts(context: MethodContext) {
  const { channel, threadTs } = threadOf(context);
  const prompts = optionalJsonArray(context.args, "prompts");
  if (!prompts) throw invalidArguments("missing required field: prompts");
  const valid = prompts.every(
    (p) =>
      typeof p === "object" &&
      p !== null &&
      typeof Reflect.get(p, "title") === "string" &&
      typeof Reflect.get(p, "message") === "string",
  );
  if (!valid || prompts.length > MAX_PROMPTS)
    throw invalidArguments("prompts must be 1-4 {title, message}");
  const title = optionalString(context.args, "title");
  context.workspace.updateAssistantThread(channel, threadTs, {
    prompts,
    ...(title !== undefined ? { prompts_title: title } : {}),
  });
  return {};
}

function setTitle(context: MethodContext) {
  const { channel, threadTs } = threadOf(context);
  context.workspace.updateAssistantThread(channel, threadTs, {
    title: requiredString(context.args, "title"),
  });
  return {};
}

/** The assistant.threads.* methods. */
export const assistantMethods: MethodTable = {
  "assistant.threads.setStatus": setStatus,
  "assistant.threads.setSuggestedPrompts": setSuggestedPrompts,
  "assistant.threads.setTitle": setTitle,
};
