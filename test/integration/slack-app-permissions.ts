/**
 * What pup does on Slack and which bot scopes each thing needs: the justification behind
 * manifest.json's `oauth_config.scopes.bot`. The manifest test derives the scopes pup needs
 * from these tables and requires the manifest to ask for exactly those (least privilege).
 *
 * Sources: the Web API methods CONTRACT.md lets pup call, the events the edge accepts
 * (protocol/slack/events.ts) and Slack's documented scope for each method and event.
 */

/**
 * Web API methods pup calls (CONTRACT.md, "Slack Web API methods pup may call") and the bot
 * scopes they need. A method with several scopes needs each for one kind of conversation.
 */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.startStream": ["chat:write"],
  "chat.appendStream": ["chat:write"],
  "chat.stopStream": ["chat:write"],
  "reactions.add": ["reactions:write"],
  "reactions.remove": ["reactions:write"],
  "users.info": ["users:read"],
  // Public channels, private channels and DMs with pup; pup stays out of group DMs (mpim).
  "conversations.info": ["channels:read", "groups:read", "im:read"],
  "conversations.replies": ["channels:history", "groups:history", "im:history"],
  "conversations.history": ["channels:history", "groups:history", "im:history"],
  "views.publish": [],
  "assistant.threads.setStatus": ["assistant:write"],
  "assistant.threads.setSuggestedPrompts": ["assistant:write"],
  "assistant.threads.setTitle": ["assistant:write"],
  // A guest's or another organisation's member's conversations (recall is limited to them).
  "users.conversations": ["channels:read", "groups:read", "im:read"],
  "conversations.members": ["channels:read", "groups:read", "im:read"],
};

/**
 * Events API subscriptions (manifest `bot_events`) and the scopes Slack requires for each.
 * The `message.*` subscriptions all arrive as inner event type `message`.
 */
export const EVENT_SCOPES: Readonly<Record<string, readonly string[]>> = {
  app_mention: ["app_mentions:read"],
  "message.im": ["im:history"],
  "message.channels": ["channels:history"],
  "message.groups": ["groups:history"],
  reaction_added: ["reactions:read"],
  reaction_removed: ["reactions:read"],
  app_home_opened: [],
  assistant_thread_started: ["assistant:write"],
  assistant_thread_context_changed: ["assistant:write"],
  member_joined_channel: ["channels:read", "groups:read"],
  channel_id_changed: ["channels:read", "groups:read"],
  channel_shared: ["channels:read", "groups:read"],
  channel_unshared: ["channels:read", "groups:read"],
  app_uninstalled: [],
  tokens_revoked: [],
};

/** Scopes needed by app features rather than by a method or an event. */
export const FEATURE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  slash_commands: ["commands"],
};

/** The inner event type a subscription is delivered as (`message.im` arrives as `message`). */
export function deliveredEventType(subscription: string): string {
  return subscription.startsWith("message.") ? "message" : subscription;
}
