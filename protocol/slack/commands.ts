/**
 * Slash command payloads (`POST /slack/commands`, form-encoded).
 *
 * As Slack sends them (`slashCommandSchema`): the fields the edge needs to identify, rate-limit
 * and forward `/pup …`; Slack sends more, and every field is kept for core. As core reads them
 * (`forwardedSlashCommandSchema`): lenient, the fields pup reads.
 */
import * as v from "valibot";
import { nonEmptyText, slackId } from "./fields";

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

/**
 * A slash command as core reads it once forwarded. Every field is optional and a missing, empty
 * or malformed one reads as absent (an empty `text` too: a bare `/pup`).
 */
export const forwardedSlashCommandSchema = v.object({
  command: nonEmptyText,
  text: nonEmptyText,
  team_id: nonEmptyText,
  channel_id: nonEmptyText,
  user_id: nonEmptyText,
  response_url: nonEmptyText,
  trigger_id: nonEmptyText,
});

export type ForwardedSlashCommand = v.InferOutput<typeof forwardedSlashCommandSchema>;
