-- Append-only tables: slack_events (the audit and replay record) and audit_log.
-- UPDATE is always rejected. DELETE is rejected unless the transaction opted into redaction with
-- SET LOCAL pup.allow_redaction = 'on' (used only by "forget me", which audit-logs what it removed).
-- TRUNCATE is always rejected: it would bypass the row-level check.
CREATE OR REPLACE FUNCTION pup_reject_append_only_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('pup.allow_redaction', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'pup: % on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001',
          HINT = 'Deleting is allowed only for redaction: SET LOCAL pup.allow_redaction = ''on'' in the same transaction.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER slack_events_append_only
  BEFORE UPDATE OR DELETE ON slack_events
  FOR EACH ROW EXECUTE FUNCTION pup_reject_append_only_change();
--> statement-breakpoint
CREATE TRIGGER slack_events_no_truncate
  BEFORE TRUNCATE ON slack_events
  FOR EACH STATEMENT EXECUTE FUNCTION pup_reject_append_only_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION pup_reject_append_only_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION pup_reject_append_only_change();
--> statement-breakpoint
-- Per-user statistics over live (not deleted) messages. The unique index is what allows
-- REFRESH MATERIALIZED VIEW CONCURRENTLY, so readers are never blocked by a refresh.
CREATE MATERIALIZED VIEW user_stats AS
  SELECT
    team_id,
    user_id,
    count(*)::integer AS message_count,
    count(DISTINCT channel_id)::integer AS channel_count,
    min(posted_at) AS first_message_at,
    max(posted_at) AS last_message_at
  FROM messages
  WHERE deleted_at IS NULL AND user_id IS NOT NULL
  GROUP BY team_id, user_id
WITH DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX user_stats_team_user_uq ON user_stats (team_id, user_id);
