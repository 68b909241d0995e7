// The reply feature: pup's answer to one message, once: the send key claimed, the prompt built
// (persona, mood, memories, the live conversation), the model's words streamed into Slack.

export { DATA_RULES, MEMORY_BLOCK_START, MOOD_LINE_PREFIX } from "./build-prompt";
export { newPromptCanary } from "./canary";
export type { ReplyDeps } from "./deps";
export { filteredSlackGateway } from "./filtered-gateway";
export { filterText, type OutputPolicy, outputPolicy } from "./output-filter";
export { SLACK_LINK_HOSTS } from "./output-links";
export { type ReplyReason, type ReplyRequest, replyTo } from "./reply";
export { DEFAULT_REPLY_SETTINGS, type ReplySettings } from "./settings";
