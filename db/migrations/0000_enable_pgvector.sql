-- pgvector must exist before any table uses the vector type. drizzle-kit never emits this.
-- On a server, CREATE EXTENSION needs a superuser (vector is not a trusted extension).
CREATE EXTENSION IF NOT EXISTS vector;
