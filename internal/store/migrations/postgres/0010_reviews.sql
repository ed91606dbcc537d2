-- Reviewing a plan that has ended ("retours d'expérience"): participants rate each commitment's
-- implementation and usefulness (1 to 5) and comment; open-ministry events name the commitments
-- they reviewed, with their findings.

ALTER TABLE plans ADD COLUMN review_open BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE commitments ADD COLUMN reviews INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commitments ADD COLUMN implementation_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commitments ADD COLUMN usefulness_sum INTEGER NOT NULL DEFAULT 0;

CREATE TABLE commitment_reviews (
    commitment_id   BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    implementation  INTEGER NOT NULL,
    usefulness      INTEGER NOT NULL,
    comment         TEXT NOT NULL DEFAULT '',
    example         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (commitment_id, user_id)
);
CREATE INDEX commitment_reviews_newest ON commitment_reviews (commitment_id, updated_at DESC);

CREATE TABLE event_reviews (
    event_id       BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    commitment_id  BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    findings       TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (commitment_id, event_id)
);
