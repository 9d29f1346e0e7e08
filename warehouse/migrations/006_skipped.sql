-- Rows a source offered that are no records (an export's total row, matched by a stream's skip_rows rule): counted,
-- so that rows_read = inserted + updated + unchanged + superseded + rejected + skipped. Earlier loads skipped none.
-- DuckDB alters no table that an index depends on: the index is made again around the change.
DROP INDEX loads_source_started;
ALTER TABLE loads ADD COLUMN skipped BIGINT NOT NULL DEFAULT 0;
CREATE INDEX loads_source_started ON loads (source, started_at);
