/**
 * Slash command payloads (`POST /slack/commands`, form-encoded): the fields the edge needs to
 * identify, rate-limit and forward `/pup …`. Slack sends more; every field is kept for core.
 */
import * as v from "valibot";

const slackId = v.pipe(v.string(), v.minLength(1));

export const slashCommandSchema = v.looseObject({
  token: v.optional(v.string()),
  team_id: slackId,
  team_domain: v.optional(v.string()),
  enterprise_id: v.optional(v.string()),
  enterprise_name: v.optional(v.string()),
  channel_id: slackId,
  channel_name: v.optional(v.string()),
  user_id: slackId,
  user_name: v.optional(v.string()),
  command: v.pipe(v.string(), v.startsWith("/")),
  /** What follows the command; empty for a bare `/pup`. */
  text: v.string(),
  api_app_id: v.optional(v.string()),
  is_enterprise_install: v.optional(v.picklist(["true", "false"])),
  response_url: v.pipe(v.string(), v.url()),
  trigger_id: slackId,
});

export type SlashCommand = v.InferOutput<typeof slashCommandSchema>;
