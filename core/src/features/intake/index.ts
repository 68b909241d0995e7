// The intake feature: core's door for Slack payloads (`POST /internal/slack`, signed by the
// edge), the event log, and the `message` queue that hands each payload to its listener.
export {
  INLINE_PAYLOAD_MAX_BYTES,
  type MessageJobData,
  messageJob,
  messageJobId,
  messageQueue,
  type SlackListeners,
} from "./message-job";
export { INTERNAL_SLACK_PATH, internalSlackRoute } from "./route";
export { toSlackEventInput } from "./slack-event-input";
