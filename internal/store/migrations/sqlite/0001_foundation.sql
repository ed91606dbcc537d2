-- Accounts, sessions, the process from the seed, its events, editable pages and the mail outbox.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    category        TEXT NOT NULL DEFAULT 'citizen',
    role            TEXT NOT NULL DEFAULT 'participant',
    administration  TEXT NOT NULL DEFAULT '',
    lang            TEXT NOT NULL DEFAULT 'fr',
    confirmed_at    TIMESTAMP,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
-- users_by_created serves the organisers' paginated list of accounts.
CREATE INDEX users_by_created ON users (created_at, id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- tokens are single-use links sent by mail: address confirmation and password reset.
CREATE TABLE tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (user_id, purpose);

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    members     INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    is_admin        INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE processes (
    id             INTEGER PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    subtitle       TEXT NOT NULL DEFAULT '',
    intro          TEXT NOT NULL DEFAULT '',
    contact_email  TEXT NOT NULL DEFAULT '',
    time_zone      TEXT NOT NULL DEFAULT 'Europe/Paris',
    example        INTEGER NOT NULL DEFAULT 0,
    created_at     TIMESTAMP NOT NULL
);

CREATE TABLE phases (
    id           INTEGER PRIMARY KEY,
    process_id   INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    position     INTEGER NOT NULL
);
CREATE INDEX phases_by_process ON phases (process_id, position);

CREATE TABLE axes (
    id           INTEGER PRIMARY KEY,
    process_id   INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX axes_by_process ON axes (process_id, position);

CREATE TABLE channels (
    id           INTEGER PRIMARY KEY,
    process_id   INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL
);
CREATE INDEX channels_by_process ON channels (process_id, position);

CREATE TABLE process_links (
    id           INTEGER PRIMARY KEY,
    process_id   INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    url          TEXT NOT NULL,
    position     INTEGER NOT NULL
);
CREATE INDEX process_links_by_process ON process_links (process_id, position);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    process_id   INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    venue        TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    organiser    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_process_start ON events (process_id, starts_at);

CREATE TABLE event_sessions (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    starts_at       TIMESTAMP NOT NULL,
    ends_at         TIMESTAMP NOT NULL,
    title           TEXT NOT NULL,
    room            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    parallel_group  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_sessions_by_event ON event_sessions (event_id, position);

CREATE TABLE session_speakers (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES event_sessions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_speakers_by_session ON session_speakers (session_id, position);

CREATE TABLE pages (
    slug        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    updated_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (slug, lang)
);

-- outbox holds every mail until it is sent; the sender claims due messages by next_attempt_at.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    recipient        TEXT NOT NULL,
    reply_to         TEXT NOT NULL DEFAULT '',
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    claimed_until    TIMESTAMP,
    sent_at          TIMESTAMP,
    last_error       TEXT NOT NULL DEFAULT ''
);
-- outbox_due serves the sender's claim of unsent messages.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- settings holds instance-wide values such as the key that signs contact forms, shared by every
-- instance that serves the same database.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
