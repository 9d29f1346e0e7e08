-- Operational tables. Every *_at column is a UTC instant (TIMESTAMP without zone); WIB is applied for display.
-- Sources' own tables are made from their contracts (ingest/tables.py), not here: a source added by
-- configuration gets its table without a migration.

CREATE TABLE loads (
    load_id       VARCHAR PRIMARY KEY,   -- stamped on every row the load wrote
    source        VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,      -- ok | failed
    rows_read     BIGINT NOT NULL DEFAULT 0,
    inserted      BIGINT NOT NULL DEFAULT 0,
    updated       BIGINT NOT NULL DEFAULT 0,
    unchanged     BIGINT NOT NULL DEFAULT 0,
    superseded    BIGINT NOT NULL DEFAULT 0, -- older versions of a record within the same batch
    rejected      BIGINT NOT NULL DEFAULT 0,
    cursor_before VARCHAR,
    cursor_after  VARCHAR,                -- JSON: stream -> cursor
    error         VARCHAR,
    notes         VARCHAR,                -- e.g. extra columns the source sent, ignored
    streams       JSON                    -- per-stream counts
);
CREATE INDEX loads_source_started ON loads (source, started_at);

-- The incremental cursor of each stream, written in the same transaction as the rows it covers.
CREATE TABLE source_cursors (
    source   VARCHAR NOT NULL,
    stream   VARCHAR NOT NULL,
    cursor   VARCHAR NOT NULL,
    load_id  VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, stream)
);

-- Operator control of a source: paused sources are not loaded on schedule (a restart keeps them paused).
CREATE TABLE source_control (
    source     VARCHAR PRIMARY KEY,
    paused     BOOLEAN NOT NULL,
    changed_at TIMESTAMP NOT NULL
);

-- Records that failed validation: kept with the reason, never dropped.
CREATE TABLE rejects (
    load_id     VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    stream      VARCHAR NOT NULL,
    origin      VARCHAR,                -- file and row, or page, where the record came from
    record_key  VARCHAR,
    field       VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    raw         JSON NOT NULL,
    rejected_at TIMESTAMP NOT NULL
);

-- Files taken from drop folders, by content hash: the same file twice loads once, a corrected file reloads.
CREATE TABLE file_ledger (
    source       VARCHAR NOT NULL,
    stream       VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    file_name    VARCHAR NOT NULL,
    size_bytes   BIGINT NOT NULL,
    load_id      VARCHAR NOT NULL,
    processed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, stream, sha256)
);

-- Working-day calendar; urutan_hari_kerja is a running count, so working days between two dates is a subtraction.
CREATE TABLE kalender_kerja (
    tanggal           DATE PRIMARY KEY,
    hari_kerja        BOOLEAN NOT NULL,
    urutan_hari_kerja INTEGER NOT NULL,
    ramadan           BOOLEAN NOT NULL,
    libur             VARCHAR
);

-- Indicator values as computed after each load; the dashboard reads these, never the raw tables.
CREATE TABLE indicator_values (
    indicator_id   VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,    -- e.g. 'default'
    as_of          TIMESTAMP NOT NULL,  -- the instant the value describes
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,
    value          DOUBLE,
    numerator      DOUBLE,
    denominator    DOUBLE,
    previous_value DOUBLE,              -- the same length of period just before
    series         JSON NOT NULL,       -- [[date, value], ...] for the sparkline
    computed_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (indicator_id, period)
);
