CREATE TABLE "lexeme_stats" (
	"team_id" text NOT NULL,
	"lexeme" text NOT NULL,
	"docs" integer DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "lexeme_stats_pk" PRIMARY KEY("team_id","lexeme")
);
--> statement-breakpoint
CREATE TABLE "lexeme_totals" (
	"team_id" text NOT NULL,
	"shard" smallint NOT NULL,
	"docs" integer DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "lexeme_totals_pk" PRIMARY KEY("team_id","shard")
);
--> statement-breakpoint
-- Adds (sign 1) or removes (sign -1) one message's words to its workspace's statistics, and drops
-- the rows of words no message holds any more ("forget me" must leave no words behind). Word rows
-- are touched in lexeme order, then the message's totals shard, so concurrent single-message
-- writers lock in one order and cannot deadlock.
CREATE OR REPLACE FUNCTION pup_apply_lexeme_stats(team text, doc tsvector, sign integer, shard smallint)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO lexeme_stats AS s (team_id, lexeme, docs, tokens)
  SELECT team, w.lexeme, sign, sign * coalesce(cardinality(w.positions), 1)
  FROM unnest(doc) w
  ORDER BY w.lexeme
  ON CONFLICT (team_id, lexeme)
  DO UPDATE SET docs = s.docs + excluded.docs, tokens = s.tokens + excluded.tokens;
  DELETE FROM lexeme_stats
  WHERE sign < 0 AND team_id = team AND docs <= 0
    AND lexeme IN (SELECT lexeme FROM unnest(doc));
  INSERT INTO lexeme_totals AS t (team_id, shard, docs, tokens)
  SELECT team, shard, sign, sign * coalesce(sum(coalesce(cardinality(w.positions), 1)), 0)
  FROM unnest(doc) w
  ON CONFLICT (team_id, shard)
  DO UPDATE SET docs = t.docs + excluded.docs, tokens = t.tokens + excluded.tokens;
  DELETE FROM lexeme_totals
  WHERE sign < 0 AND team_id = team AND lexeme_totals.shard = pup_apply_lexeme_stats.shard
    AND docs <= 0;
$$;
--> statement-breakpoint
-- Keeps lexeme_stats and lexeme_totals exact on every write to messages: inserts, edits (text,
-- hence search, changes), soft deletes (search emptied) and hard deletes, including cascades.
CREATE OR REPLACE FUNCTION pup_track_lexeme_stats() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.search = NEW.search AND OLD.team_id = NEW.team_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND length(OLD.search) > 0 THEN
    PERFORM pup_apply_lexeme_stats(OLD.team_id, OLD.search, -1, (OLD.id % 16)::smallint);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND length(NEW.search) > 0 THEN
    PERFORM pup_apply_lexeme_stats(NEW.team_id, NEW.search, 1, (NEW.id % 16)::smallint);
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
SELECT m.team_id, w.lexeme, count(*)::integer, sum(coalesce(cardinality(w.positions), 1))::bigint
FROM messages m CROSS JOIN LATERAL unnest(m.search) w
WHERE length(m.search) > 0
GROUP BY m.team_id, w.lexeme;
--> statement-breakpoint
INSERT INTO lexeme_totals (team_id, shard, docs, tokens)
SELECT m.team_id, (m.id % 16)::smallint, count(*)::integer,
       sum((SELECT coalesce(sum(coalesce(cardinality(w.positions), 1)), 0) FROM unnest(m.search) w))::bigint
FROM messages m
WHERE length(m.search) > 0
GROUP BY m.team_id, (m.id % 16);
