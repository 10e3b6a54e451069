-- Review of a closed challenge's technical envelopes. An officer assigns a reviewer per (reviewer, proposal);
-- the reviewer accepts or declares a conflict of interest (kept as a record); an officer may remove an
-- assignment that has no scores (kept as a record too). Each challenge has its weighted rubric, frozen once the
-- first score is recorded. Scores are append-only: every save adds rows, the latest per assignment and criterion
-- counts. Technical scoring closes when the officer opens the price envelopes (price_envelope_openings).
-- award_quotas holds an officer's per-challenge winner quota (the configured default otherwise). Times are UTC.
CREATE TABLE review_assignments (
    id                INTEGER PRIMARY KEY,
    challenge_id      INTEGER NOT NULL REFERENCES challenges (id),
    proposal_id       INTEGER NOT NULL REFERENCES proposals (id),
    reviewer_user_id  INTEGER NOT NULL REFERENCES users (id),
    status            TEXT NOT NULL CHECK (status IN ('assigned', 'accepted', 'conflict_declared', 'removed')),
    assigned_by       INTEGER NOT NULL REFERENCES users (id),
    assigned_at       TEXT NOT NULL,
    responded_at      TEXT NULL,
    conflict_reason   TEXT NULL,
    removed_by        INTEGER NULL REFERENCES users (id),
    removed_at        TEXT NULL
);
-- One live assignment per reviewer and proposal (a removed one may be made again; a declared conflict blocks it in code).
CREATE UNIQUE INDEX ux_review_assignments_live ON review_assignments (proposal_id, reviewer_user_id) WHERE status IN ('assigned', 'accepted');
CREATE INDEX ix_review_assignments_challenge ON review_assignments (challenge_id);
CREATE INDEX ix_review_assignments_reviewer ON review_assignments (reviewer_user_id, status);

CREATE TABLE review_criteria (
    id            INTEGER PRIMARY KEY,
    challenge_id  INTEGER NOT NULL REFERENCES challenges (id),
    position      INTEGER NOT NULL,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    weight        INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
    UNIQUE (challenge_id, position)
);

CREATE TABLE review_scores (
    id             INTEGER PRIMARY KEY,
    assignment_id  INTEGER NOT NULL REFERENCES review_assignments (id),
    criterion_id   INTEGER NOT NULL REFERENCES review_criteria (id),
    score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    comment        TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX ix_review_scores_assignment ON review_scores (assignment_id, criterion_id, id);

CREATE TABLE award_quotas (
    challenge_id  INTEGER PRIMARY KEY REFERENCES challenges (id),
    quota         INTEGER NOT NULL CHECK (quota BETWEEN 1 AND 20),
    set_by        INTEGER NOT NULL REFERENCES users (id),
    set_at        TEXT NOT NULL
);
