-- The online consultation's first phase: contributions on the axes, votes, arguments with replies,
-- follows and notifications, reports and moderation.

ALTER TABLE users ADD COLUMN blocked_at TIMESTAMP;
ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN digest_sent_at TIMESTAMP;
ALTER TABLE processes ADD COLUMN report_threshold INTEGER NOT NULL DEFAULT 3;
-- Published contributions, kept up to date on every write, for the lists' page counts.
ALTER TABLE processes ADD COLUMN contributions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE axes ADD COLUMN contributions INTEGER NOT NULL DEFAULT 0;

CREATE TABLE themes (
    id          INTEGER PRIMARY KEY,
    process_id  INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL
);
CREATE INDEX themes_by_process ON themes (process_id, position);

CREATE TABLE contributions (
    id               INTEGER PRIMARY KEY,
    process_id       INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    axis_id          INTEGER NOT NULL REFERENCES axes (id),
    author_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    organisation_id  INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    origin           TEXT NOT NULL DEFAULT 'online',
    origin_event_id  INTEGER REFERENCES events (id) ON DELETE SET NULL,
    on_behalf_of     TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'published',
    hidden_reason    TEXT NOT NULL DEFAULT '',
    example          INTEGER NOT NULL DEFAULT 0,
    agree            INTEGER NOT NULL DEFAULT 0,
    mixed            INTEGER NOT NULL DEFAULT 0,
    disagree         INTEGER NOT NULL DEFAULT 0,
    arguments        INTEGER NOT NULL DEFAULT 0,
    followers        INTEGER NOT NULL DEFAULT 0,
    reports          INTEGER NOT NULL DEFAULT 0,
    shuffle          INTEGER NOT NULL,
    search           TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
-- One index per list order, across the process and within an axis; the list pages read them in order.
CREATE INDEX contributions_agree ON contributions (process_id, status, agree DESC, id DESC);
CREATE INDEX contributions_axis_agree ON contributions (process_id, axis_id, status, agree DESC, id DESC);
CREATE INDEX contributions_discussed ON contributions (process_id, status, arguments DESC, id DESC);
CREATE INDEX contributions_axis_discussed ON contributions (process_id, axis_id, status, arguments DESC, id DESC);
CREATE INDEX contributions_newest ON contributions (process_id, status, id DESC);
CREATE INDEX contributions_axis_newest ON contributions (process_id, axis_id, status, id DESC);
CREATE INDEX contributions_shuffle ON contributions (process_id, status, shuffle, id);
CREATE INDEX contributions_axis_shuffle ON contributions (process_id, axis_id, status, shuffle, id);
CREATE INDEX contributions_by_author ON contributions (author_id, id DESC);
CREATE INDEX contributions_by_event ON contributions (origin_event_id) WHERE origin_event_id IS NOT NULL;
-- contributions_hidden serves the moderation queue and the public count of what was hidden.
CREATE INDEX contributions_hidden ON contributions (status, hidden_reason) WHERE status = 'hidden';

-- contributions_fts indexes the search column, which holds textsearch.Document(title, body):
-- stemmed, unaccented French terms, the same on SQLite and PostgreSQL.
CREATE VIRTUAL TABLE contributions_fts USING fts5 (search, content = 'contributions', content_rowid = 'id', tokenize = 'unicode61');
CREATE TRIGGER contributions_fts_insert AFTER INSERT ON contributions BEGIN
    INSERT INTO contributions_fts (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER contributions_fts_delete AFTER DELETE ON contributions BEGIN
    INSERT INTO contributions_fts (contributions_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER contributions_fts_update AFTER UPDATE OF search ON contributions BEGIN
    INSERT INTO contributions_fts (contributions_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO contributions_fts (rowid, search) VALUES (new.id, new.search);
END;

CREATE TABLE contribution_themes (
    contribution_id  INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    theme_id         INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (contribution_id, theme_id)
);
-- contribution_themes_by_theme serves the theme filter.
CREATE INDEX contribution_themes_by_theme ON contribution_themes (theme_id, contribution_id DESC);

CREATE TABLE votes (
    contribution_id  INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value            INTEGER NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (contribution_id, user_id)
);
-- votes_by_user finds a person's votes on the contributions of a page in one query.
CREATE INDEX votes_by_user ON votes (user_id, contribution_id);

CREATE TABLE arguments (
    id               INTEGER PRIMARY KEY,
    contribution_id  INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    parent_id        INTEGER REFERENCES arguments (id) ON DELETE CASCADE,
    author_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    stance           TEXT NOT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'published',
    hidden_reason    TEXT NOT NULL DEFAULT '',
    useful           INTEGER NOT NULL DEFAULT 0,
    replies          INTEGER NOT NULL DEFAULT 0,
    reports          INTEGER NOT NULL DEFAULT 0,
    example          INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMP NOT NULL,
    edited_at        TIMESTAMP
);
-- The two orders of a contribution's arguments, and a page's replies in one query.
CREATE INDEX arguments_useful ON arguments (contribution_id, useful DESC, id DESC) WHERE parent_id IS NULL;
CREATE INDEX arguments_newest ON arguments (contribution_id, id DESC) WHERE parent_id IS NULL;
CREATE INDEX arguments_replies ON arguments (parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX arguments_by_author ON arguments (author_id);
CREATE INDEX arguments_hidden ON arguments (status, hidden_reason) WHERE status = 'hidden';

CREATE TABLE argument_useful (
    argument_id  INTEGER NOT NULL REFERENCES arguments (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (argument_id, user_id)
);
CREATE INDEX argument_useful_by_user ON argument_useful (user_id, argument_id);

-- revisions keeps every earlier text of an edited contribution or argument.
CREATE TABLE revisions (
    id           INTEGER PRIMARY KEY,
    target_type  TEXT NOT NULL,
    target_id    INTEGER NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    replaced_at  TIMESTAMP NOT NULL
);
CREATE INDEX revisions_by_target ON revisions (target_type, target_id, id);

CREATE TABLE follows (
    contribution_id  INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (contribution_id, user_id)
);
CREATE INDEX follows_by_user ON follows (user_id, contribution_id);

CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    contribution_id  INTEGER REFERENCES contributions (id) ON DELETE CASCADE,
    argument_id      INTEGER REFERENCES arguments (id) ON DELETE CASCADE,
    detail           TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    read_at          TIMESTAMP,
    mailed_at        TIMESTAMP
);
CREATE INDEX notifications_by_user ON notifications (user_id, id DESC);
-- notifications_unmailed serves the daily digest.
CREATE INDEX notifications_unmailed ON notifications (user_id, id) WHERE mailed_at IS NULL;

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    target_type  TEXT NOT NULL,
    target_id    INTEGER NOT NULL,
    reporter_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    resolved_at  TIMESTAMP,
    UNIQUE (target_type, target_id, reporter_id)
);
-- reports_open serves the moderators' queue.
CREATE INDEX reports_open ON reports (target_type, target_id) WHERE resolved_at IS NULL;

CREATE TABLE moderation_log (
    id            INTEGER PRIMARY KEY,
    moderator_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action        TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     INTEGER NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX moderation_log_by_target ON moderation_log (target_type, target_id, id);
