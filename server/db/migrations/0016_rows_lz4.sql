-- Rows are stored as two jsonb documents (data and field_hlc); a patient is about 4 KB of them, so
-- PostgreSQL compresses every version written. With pglz that compression was about an eighth of
-- the database's CPU under a hundred pushing desks; lz4 does the same work several times faster.
-- Only new values are written with lz4 (existing ones stay as they are, both are read alike).
-- PostgreSQL before 14 (no per-column compression), a build without lz4 and embedded PGlite keep
-- pglz; the statements are run through EXECUTE so an older server does not even parse them.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN
    EXECUTE 'ALTER TABLE "rows" ALTER COLUMN "data" SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE "rows" ALTER COLUMN "field_hlc" SET COMPRESSION lz4';
  END IF;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available here: rows stay compressed with pglz';
END $$;
