// Words the data ports share with the rest of pup: who a user is, who may see a conversation,
// which Slack endpoint a payload came through, and pup's moods.

export type UserRole = "member" | "admin" | "owner";

/**
 * What was said in a DM or private conversation is recalled only in that same conversation;
 * what was said in a public channel may be recalled anywhere in the same workspace.
 */
export type ChannelVisibility = "public_channel" | "private_channel" | "dm" | "group_dm";

export type SlackPayloadKind = "event" | "interaction" | "command";

export type Mood = "neutral" | "friendly" | "sarcastic" | "enthusiastic";

export type BotReplyStatus = "claimed" | "sent" | "failed";
