-- Rows are stored as two jsonb documents (data and field_hlc); a patient is about 4 KB of them, so
-- PostgreSQL compresses every version written. With pglz that compression was about an eighth of
-- the database's CPU under a hundred pushing desks; lz4 does the same work several times faster.
-- Only new values are written with lz4 (existing ones stay as they are, both are read alike).
-- A PostgreSQL built without lz4 (and embedded PGlite) keeps pglz.
DO $$
BEGIN
  ALTER TABLE "rows" ALTER COLUMN "data" SET COMPRESSION lz4;
  ALTER TABLE "rows" ALTER COLUMN "field_hlc" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available here: rows stay compressed with pglz';
END $$;
