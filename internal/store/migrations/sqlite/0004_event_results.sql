-- What an event produced: attendance (with a rough breakdown by public), a report, and the ideas,
-- which become contributions whose origin names the event.

CREATE TABLE event_reports (
    event_id        INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    attendance      INTEGER NOT NULL DEFAULT 0,
    citizen         INTEGER NOT NULL DEFAULT 0,
    administration  INTEGER NOT NULL DEFAULT 0,
    association     INTEGER NOT NULL DEFAULT 0,
    think_tank      INTEGER NOT NULL DEFAULT 0,
    private         INTEGER NOT NULL DEFAULT 0,
    research        INTEGER NOT NULL DEFAULT 0,
    report          TEXT NOT NULL DEFAULT '',
    updated_at      TIMESTAMP NOT NULL,
    updated_by      INTEGER REFERENCES users (id) ON DELETE SET NULL
);
