-- Synthesis and reasoned response: every contribution's response, groups of near duplicates and
-- topics that organisers confirm, and versioned syntheses that cite contributions.

-- The response to a contribution: review (the default: under review, no answer yet), retained,
-- merged (into response_target, a contribution), draft (taken up in draft response_target),
-- not_retained, out_of_scope; with a short reason.
ALTER TABLE contributions ADD COLUMN response TEXT NOT NULL DEFAULT 'review';
ALTER TABLE contributions ADD COLUMN response_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE contributions ADD COLUMN response_target INTEGER;
ALTER TABLE contributions ADD COLUMN responded_at TIMESTAMP;
-- contributions_response serves the lists' and the workspace's response filter.
CREATE INDEX contributions_response ON contributions (process_id, response, status, id DESC);

-- response_counts holds, per axis, how many published contributions have each response; kept on
-- every write so that "Qu'est devenue ma contribution ?" never counts rows.
CREATE TABLE response_counts (
    process_id  INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    axis_id     INTEGER NOT NULL REFERENCES axes (id) ON DELETE CASCADE,
    response    TEXT NOT NULL,
    n           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (process_id, axis_id, response)
);
INSERT INTO response_counts (process_id, axis_id, response, n)
    SELECT process_id, axis_id, 'review', COUNT(*) FROM contributions WHERE status = 'published' GROUP BY process_id, axis_id;

-- Groups proposed by internal/cluster (kind 'duplicate' or 'topic') or made by organisers. A
-- confirmed group keeps its members and label when the grouping runs again; a rejected duplicate
-- group is never proposed again.
CREATE TABLE contribution_groups (
    id          INTEGER PRIMARY KEY,
    process_id  INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    axis_id     INTEGER NOT NULL DEFAULT 0,
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    words       TEXT NOT NULL DEFAULT '',
    confirmed   BOOLEAN NOT NULL DEFAULT FALSE,
    rejected    BOOLEAN NOT NULL DEFAULT FALSE,
    members     INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX contribution_groups_list ON contribution_groups (process_id, kind, axis_id, members DESC, id);

CREATE TABLE group_members (
    group_id         INTEGER NOT NULL REFERENCES contribution_groups (id) ON DELETE CASCADE,
    contribution_id  INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, contribution_id)
);
CREATE INDEX group_members_by_contribution ON group_members (contribution_id, group_id);

-- A synthesis per axis (axis_id 0: the overall one), with its versions; the published version's
-- text is frozen: references and figures expanded at publication.
CREATE TABLE syntheses (
    id            INTEGER PRIMARY KEY,
    process_id    INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    axis_id       INTEGER NOT NULL DEFAULT 0,
    title         TEXT NOT NULL,
    draft         TEXT NOT NULL DEFAULT '',
    published_id  INTEGER,
    published_at  TIMESTAMP,
    example       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (process_id, axis_id)
);

CREATE TABLE synthesis_versions (
    id            INTEGER PRIMARY KEY,
    synthesis_id  INTEGER NOT NULL REFERENCES syntheses (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    source        TEXT NOT NULL,
    expanded      TEXT NOT NULL,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at  TIMESTAMP NOT NULL,
    UNIQUE (synthesis_id, number)
);

-- synthesis_citations: the contributions the published version of a synthesis cites.
CREATE TABLE synthesis_citations (
    contribution_id  INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    synthesis_id     INTEGER NOT NULL REFERENCES syntheses (id) ON DELETE CASCADE,
    PRIMARY KEY (contribution_id, synthesis_id)
);
CREATE INDEX synthesis_citations_by_synthesis ON synthesis_citations (synthesis_id, contribution_id);
