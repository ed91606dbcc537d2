-- The relay workshop kit: files that organisers upload for anyone organising a workshop. Files
-- live in the database, so that every instance serves them.

CREATE TABLE kit_files (
    id            INTEGER PRIMARY KEY,
    process_id    INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    data          BLOB NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX kit_files_by_process ON kit_files (process_id, position, id);
