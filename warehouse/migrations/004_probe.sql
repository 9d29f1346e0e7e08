-- One row the warehouse watch rewrites every few seconds: a real commit shows the file still takes writes.
CREATE TABLE warehouse_probe (
    id         INTEGER PRIMARY KEY,
    written_at TIMESTAMP NOT NULL
);
