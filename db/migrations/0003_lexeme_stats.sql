CREATE TABLE "lexeme_stats" (
	"team_id" text NOT NULL,
	"lexeme" text NOT NULL,
	"docs" integer DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "lexeme_stats_pk" PRIMARY KEY("team_id","lexeme")
);
--> statement-breakpoint
-- Adds (sign 1) or removes (sign -1) one message's words to its workspace's statistics, and drops
-- the rows of words no message holds any more. Rows are touched in lexeme order, the totals row
-- ('') first, so concurrent writers lock in one order and cannot deadlock.
CREATE OR REPLACE FUNCTION pup_apply_lexeme_stats(team text, doc tsvector, sign integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO lexeme_stats AS s (team_id, lexeme, docs, tokens)
  SELECT team, w.lexeme, sign, sign * w.n
  FROM (
    SELECT '' AS lexeme, coalesce(sum(coalesce(cardinality(positions), 1)), 0)::bigint AS n
    FROM unnest(doc)
    UNION ALL
    SELECT lexeme, coalesce(cardinality(positions), 1)::bigint FROM unnest(doc)
  ) w
  ORDER BY w.lexeme
  ON CONFLICT (team_id, lexeme)
  DO UPDATE SET docs = s.docs + excluded.docs, tokens = s.tokens + excluded.tokens;
  -- A word no message holds any more leaves no trace ("forget me" must not leave words behind).
  DELETE FROM lexeme_stats
  WHERE sign < 0 AND team_id = team AND docs <= 0
    AND lexeme IN (SELECT '' UNION ALL SELECT lexeme FROM unnest(doc));
$$;
--> statement-breakpoint
-- Keeps lexeme_stats exact on every write to messages: inserts, edits (text, hence search,
-- changes), soft deletes (search emptied) and hard deletes, including cascades.
CREATE OR REPLACE FUNCTION pup_track_lexeme_stats() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.search = NEW.search AND OLD.team_id = NEW.team_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND length(OLD.search) > 0 THEN
    PERFORM pup_apply_lexeme_stats(OLD.team_id, OLD.search, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND length(NEW.search) > 0 THEN
    PERFORM pup_apply_lexeme_stats(NEW.team_id, NEW.search, 1);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER messages_lexeme_stats
  AFTER INSERT OR UPDATE OF text, team_id OR DELETE ON messages
  FOR EACH ROW EXECUTE FUNCTION pup_track_lexeme_stats();
--> statement-breakpoint
-- Messages stored before this migration.
INSERT INTO lexeme_stats (team_id, lexeme, docs, tokens)
SELECT m.team_id, w.lexeme, count(*)::integer, sum(w.n)::bigint
FROM messages m
CROSS JOIN LATERAL (
  SELECT '' AS lexeme, coalesce(sum(coalesce(cardinality(positions), 1)), 0)::bigint AS n
  FROM unnest(m.search)
  UNION ALL
  SELECT lexeme, coalesce(cardinality(positions), 1)::bigint FROM unnest(m.search)
) w
WHERE length(m.search) > 0
GROUP BY m.team_id, w.lexeme;
