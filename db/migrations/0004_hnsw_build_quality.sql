-- A better HNSW graph (pgvector default ef_construction 64): recall@10 at ef_search 150 stays >= 0.95 at 100k.
DROP INDEX "messages_embedding_hnsw_idx";--> statement-breakpoint
CREATE INDEX "messages_embedding_hnsw_idx" ON "messages" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=128);