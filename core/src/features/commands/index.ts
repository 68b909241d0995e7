// The commands feature: `/pup …`, pup's buttons (block actions) and its App Home, answered
// privately and once.

export type { CommandAnswer, CommandInvocation, PupCommand } from "./command-types";
export type { CommandsDeps, HomeDeps } from "./deps";
export { type HomeOptions, publishAppHome, refreshHomes } from "./home";
export { type HomeData, type HomeView, homeView } from "./home-view";
export { type LinkedMessage, parseMessageLink } from "./message-link";
export { COMMANDS, helpText } from "./registry";
export { handleCommand, handleInteraction } from "./router";
