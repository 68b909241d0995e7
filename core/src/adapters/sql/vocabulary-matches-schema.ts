// Compile-time proof that the ports' vocabulary and the database enums list the same values:
// adding a mood or a visibility in one place and not the other fails `tsc`.
import type {
  botReplyStatusValues,
  channelVisibilityValues,
  moodValues,
  slackPayloadKindValues,
  userRoleValues,
} from "../../../../db/schema";
import type {
  BotReplyStatus,
  ChannelVisibility,
  Mood,
  SlackPayloadKind,
  UserRole,
} from "../../ports/slack-vocabulary";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const vocabularyMatchesSchema: [
  Same<UserRole, (typeof userRoleValues)[number]>,
  Same<ChannelVisibility, (typeof channelVisibilityValues)[number]>,
  Same<SlackPayloadKind, (typeof slackPayloadKindValues)[number]>,
  Same<Mood, (typeof moodValues)[number]>,
  Same<BotReplyStatus, (typeof botReplyStatusValues)[number]>,
] = [true, true, true, true, true];
