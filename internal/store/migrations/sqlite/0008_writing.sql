-- The consultation's second phase: draft commitments written together. Each draft has versions
-- that are never changed; participants vote on the whole and on each section, comment on a section
-- or one of its paragraphs, and propose amendments, which end with a reasoned decision.

CREATE TABLE drafts (
    id                   INTEGER PRIMARY KEY,
    process_id           INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    axis_id              INTEGER NOT NULL REFERENCES axes (id),
    lead_administration  TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'open',
    version              INTEGER NOT NULL DEFAULT 0,
    final_version        INTEGER NOT NULL DEFAULT 0,
    agree                INTEGER NOT NULL DEFAULT 0,
    mixed                INTEGER NOT NULL DEFAULT 0,
    disagree             INTEGER NOT NULL DEFAULT 0,
    comments             INTEGER NOT NULL DEFAULT 0,
    amendments           INTEGER NOT NULL DEFAULT 0,
    followers            INTEGER NOT NULL DEFAULT 0,
    example              BOOLEAN NOT NULL DEFAULT FALSE,
    created_by           INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX drafts_list ON drafts (process_id, axis_id, id);

CREATE TABLE draft_versions (
    id            INTEGER PRIMARY KEY,
    draft_id      INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    other_actors  TEXT NOT NULL DEFAULT '',
    period_start  TIMESTAMP,
    period_end    TIMESTAMP,
    ogp_values    TEXT NOT NULL DEFAULT '',
    problem       TEXT NOT NULL DEFAULT '',
    status_quo    TEXT NOT NULL DEFAULT '',
    commitment    TEXT NOT NULL DEFAULT '',
    how           TEXT NOT NULL DEFAULT '',
    relevance     TEXT NOT NULL DEFAULT '',
    ambition      TEXT NOT NULL DEFAULT '',
    milestones    TEXT NOT NULL DEFAULT '',
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    amendment_id  INTEGER,
    summary       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (draft_id, number)
);

-- What a draft draws on; linking a contribution answers it "taken up in a draft".
CREATE TABLE draft_sources (
    draft_id         INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    contribution_id  INTEGER REFERENCES contributions (id) ON DELETE CASCADE,
    synthesis_id     INTEGER REFERENCES syntheses (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX draft_sources_contribution ON draft_sources (draft_id, contribution_id) WHERE contribution_id IS NOT NULL;
CREATE UNIQUE INDEX draft_sources_synthesis ON draft_sources (draft_id, synthesis_id) WHERE synthesis_id IS NOT NULL;
CREATE INDEX draft_sources_by_contribution ON draft_sources (contribution_id) WHERE contribution_id IS NOT NULL;

-- Votes on the whole draft (section '') or a section; counts kept per section.
CREATE TABLE draft_votes (
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    section     TEXT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value       INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (draft_id, section, user_id)
);
CREATE INDEX draft_votes_by_user ON draft_votes (user_id, draft_id);

CREATE TABLE draft_section_counts (
    draft_id   INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    section    TEXT NOT NULL,
    agree      INTEGER NOT NULL DEFAULT 0,
    mixed      INTEGER NOT NULL DEFAULT 0,
    disagree   INTEGER NOT NULL DEFAULT 0,
    comments   INTEGER NOT NULL DEFAULT 0,
    amendments INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (draft_id, section)
);

CREATE TABLE amendments (
    id               INTEGER PRIMARY KEY,
    draft_id         INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    section          TEXT NOT NULL,
    base_version     INTEGER NOT NULL,
    text             TEXT NOT NULL,
    reason           TEXT NOT NULL,
    author_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status           TEXT NOT NULL DEFAULT 'open',
    decision_reason  TEXT NOT NULL DEFAULT '',
    decided_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at       TIMESTAMP,
    result_version   INTEGER NOT NULL DEFAULT 0,
    agree            INTEGER NOT NULL DEFAULT 0,
    mixed            INTEGER NOT NULL DEFAULT 0,
    disagree         INTEGER NOT NULL DEFAULT 0,
    comments         INTEGER NOT NULL DEFAULT 0,
    example          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX amendments_by_draft ON amendments (draft_id, section, status, id DESC);

CREATE TABLE amendment_votes (
    amendment_id  INTEGER NOT NULL REFERENCES amendments (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value         INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (amendment_id, user_id)
);

-- Comments on a section (paragraph 0) or one of its paragraphs, or on an amendment.
CREATE TABLE draft_comments (
    id            INTEGER PRIMARY KEY,
    draft_id      INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    amendment_id  INTEGER REFERENCES amendments (id) ON DELETE CASCADE,
    section       TEXT NOT NULL,
    paragraph     INTEGER NOT NULL DEFAULT 0,
    stance        TEXT NOT NULL,
    body          TEXT NOT NULL,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    version       INTEGER NOT NULL,
    example       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX draft_comments_by_place ON draft_comments (draft_id, section, paragraph, id DESC) WHERE amendment_id IS NULL;
CREATE INDEX draft_comments_by_amendment ON draft_comments (amendment_id, id DESC) WHERE amendment_id IS NOT NULL;
CREATE INDEX draft_comments_by_author ON draft_comments (author_id);

CREATE TABLE draft_follows (
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (draft_id, user_id)
);
CREATE INDEX draft_follows_by_user ON draft_follows (user_id, draft_id);

ALTER TABLE notifications ADD COLUMN draft_id INTEGER REFERENCES drafts (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN amendment_id INTEGER REFERENCES amendments (id) ON DELETE CASCADE;
