// The whole schema, as drizzle-kit and the data access layer see it.
export * from "./audit-log";
export * from "./bot-replies";
export * from "./channels";
export * from "./conversation-summaries";
export * from "./enums";
export * from "./lexeme-stats";
export * from "./messages";
export * from "./moods";
export * from "./role-grants";
export * from "./slack-events";
export * from "./slack-installations";
export * from "./user-profiles";
export * from "./user-stats";
export * from "./users";
export * from "./workspaces";
