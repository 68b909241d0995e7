// The commands feature: `/pup …` and interactivity, answered privately to the caller.

export type { CommandsDeps } from "./deps";
export { COMMANDS, handleCommand, handleInteraction, helpText, type PupCommand } from "./router";
