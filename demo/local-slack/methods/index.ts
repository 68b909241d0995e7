/** Every Web API method the local Slack speaks: exactly the list in pup's contract. */
import type { MethodTable } from "../slack-api";
import { assistantMethods } from "./assistant";
import { chatMethods } from "./chat";
import { chatStreamMethods } from "./chat-stream";
import { conversationMethods } from "./conversations";
import { membershipMethods } from "./memberships";
import { reactionMethods } from "./reactions";
import { userMethods } from "./users";
import { viewMethods } from "./views";

/** The full method table handed to {@link SlackApi}. */
export const allMethods: MethodTable = {
  ...userMethods,
  ...chatMethods,
  ...chatStreamMethods,
  ...reactionMethods,
  ...conversationMethods,
  ...membershipMethods,
  ...viewMethods,
  ...assistantMethods,
};
