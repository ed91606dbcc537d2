-- The action plan and its follow-up: plans, their numbered commitments (from the final drafts of
-- the writing phase, or entered), milestones with their status, and dated progress updates.

CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    process_id    INTEGER REFERENCES processes (id) ON DELETE SET NULL,
    slug          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    period_start  TIMESTAMP NOT NULL,
    period_end    TIMESTAMP NOT NULL,
    introduction  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'preparation',
    commitments   INTEGER NOT NULL DEFAULT 0,
    example       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE commitments (
    id                   INTEGER PRIMARY KEY,
    plan_id              INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number               INTEGER NOT NULL,
    axis_id              INTEGER REFERENCES axes (id) ON DELETE SET NULL,
    axis_title           TEXT NOT NULL DEFAULT '',
    draft_id             INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    draft_version        INTEGER NOT NULL DEFAULT 0,
    title                TEXT NOT NULL,
    lead_administration  TEXT NOT NULL,
    other_actors         TEXT NOT NULL DEFAULT '',
    problem              TEXT NOT NULL DEFAULT '',
    status_quo           TEXT NOT NULL DEFAULT '',
    commitment           TEXT NOT NULL DEFAULT '',
    how                  TEXT NOT NULL DEFAULT '',
    relevance            TEXT NOT NULL DEFAULT '',
    ambition             TEXT NOT NULL DEFAULT '',
    ogp_values           TEXT NOT NULL DEFAULT '',
    completion           TEXT NOT NULL DEFAULT 'not_started',
    progress             INTEGER NOT NULL DEFAULT 0,
    progress_manual      BOOLEAN NOT NULL DEFAULT FALSE,
    progress_reason      TEXT NOT NULL DEFAULT '',
    milestones           INTEGER NOT NULL DEFAULT 0,
    milestones_done      INTEGER NOT NULL DEFAULT 0,
    next_due             TIMESTAMP,
    updates              INTEGER NOT NULL DEFAULT 0,
    followers            INTEGER NOT NULL DEFAULT 0,
    example              BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (plan_id, number)
);
-- commitments_tracker serves the tracker's filters; next_due (the earliest end of a milestone not
-- done) makes "late" a range condition.
CREATE INDEX commitments_by_axis ON commitments (plan_id, axis_id, number);
CREATE INDEX commitments_by_completion ON commitments (plan_id, completion, number);
CREATE INDEX commitments_by_lead ON commitments (plan_id, lead_administration, number);
CREATE INDEX commitments_due ON commitments (plan_id, next_due);

CREATE TABLE milestones (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    deliverable    TEXT NOT NULL,
    starts_at      TIMESTAMP,
    ends_at        TIMESTAMP,
    status         TEXT NOT NULL DEFAULT 'not_started',
    done_at        TIMESTAMP
);
CREATE INDEX milestones_by_commitment ON milestones (commitment_id, position);
CREATE INDEX milestones_due ON milestones (status, ends_at);

CREATE TABLE commitment_updates (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    plan_id        INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    detail         TEXT NOT NULL DEFAULT '',
    author_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    example        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX commitment_updates_by_commitment ON commitment_updates (commitment_id, id DESC);
CREATE INDEX commitment_updates_feed ON commitment_updates (plan_id, id DESC);

CREATE TABLE commitment_follows (
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (commitment_id, user_id)
);

ALTER TABLE notifications ADD COLUMN commitment_id INTEGER REFERENCES commitments (id) ON DELETE CASCADE;
