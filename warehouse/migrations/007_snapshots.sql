-- Presentation snapshots: every figure a deck shows, frozen at one as-of moment. A row is written once and never
-- updated (its body's SHA-256 is checked on every read); an operator may delete it.
CREATE TABLE snapshots (
    snapshot_id VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,   -- UTC
    created_by VARCHAR NOT NULL,
    as_of TIMESTAMP NOT NULL,        -- UTC
    title VARCHAR NOT NULL,
    past_as_of BOOLEAN NOT NULL,
    checksum VARCHAR NOT NULL,
    body VARCHAR NOT NULL            -- canonical JSON (metrics.snapshot.canonical)
);
