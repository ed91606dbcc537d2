-- Events: open ministries, relay workshops organised by anyone, the launch; their registrations
-- with capacity and waiting list, per event or per parallel session.

ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE events ADD COLUMN organiser_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE events ADD COLUMN host_administration TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN audience TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN accessibility TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN accessibility_note TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN commune TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN departement TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN online_url TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN registration TEXT NOT NULL DEFAULT 'none';
ALTER TABLE events ADD COLUMN external_url TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN created_at TIMESTAMP;
ALTER TABLE event_sessions ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_sessions ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_sessions ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
ALTER TABLE processes ADD COLUMN publish_events_at_once INTEGER NOT NULL DEFAULT 0;

-- events_list serves the list (published, by date) and its filters on kind and département.
CREATE INDEX events_list ON events (process_id, status, starts_at, id, ends_at);
CREATE INDEX events_by_departement ON events (process_id, status, departement, ends_at, starts_at);
CREATE INDEX events_by_kind ON events (process_id, status, kind, ends_at, departement, starts_at);
-- events_upcoming serves the default list, its counts and the map: events not yet over.
CREATE INDEX events_upcoming ON events (process_id, status, ends_at, departement);

CREATE TABLE event_axes (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    axis_id   INTEGER NOT NULL REFERENCES axes (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, axis_id)
);
CREATE INDEX event_axes_by_axis ON event_axes (axis_id, event_id);

CREATE TABLE registrations (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_id  INTEGER REFERENCES event_sessions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      TEXT NOT NULL,
    attended    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
-- One live registration per person and event; cancelled ones stay for the record.
CREATE UNIQUE INDEX registrations_live ON registrations (event_id, user_id) WHERE status <> 'cancelled';
-- registrations_waiting finds the next person to promote, in order of arrival.
CREATE INDEX registrations_waiting ON registrations (event_id, session_id, status, id);
CREATE INDEX registrations_by_user ON registrations (user_id, event_id);

-- A mail may carry one attachment: the .ics of the event a person registered for.
ALTER TABLE outbox ADD COLUMN attachment_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment_type TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment TEXT NOT NULL DEFAULT '';
