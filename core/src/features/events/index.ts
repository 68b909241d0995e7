// The events feature: what each Events API delivery means to pup (a message to remember and
// maybe answer, an edit or deletion, a reaction, an assistant thread, the App Home) and doing it.
export { classifyEvent } from "./classify";
export { isLifecycleEvent } from "./classify-lifecycle";
export type { EventsDeps } from "./deps";
export { handleSlackEvent } from "./handle-event";
