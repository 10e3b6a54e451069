-- Automatic reviewer assignment after a challenge closes is made by the system, not an officer: assigned_by becomes
-- nullable (NULL = assigned by the system; the audit log says "automatic"). SQLite cannot drop a NOT NULL
-- constraint in place, and with foreign keys on (they cannot be switched off inside the migration's transaction) a
-- table that review_scores references cannot be dropped while review_scores exists. So: keep the scores aside in a
-- plain copy, drop review_scores, rebuild review_assignments with the same columns and ids, then rebuild review_scores
-- and its index from the copy.
CREATE TABLE review_scores_copy AS SELECT * FROM review_scores;
DROP TABLE review_scores;

CREATE TABLE review_assignments_rebuilt (
    id                INTEGER PRIMARY KEY,
    challenge_id      INTEGER NOT NULL REFERENCES challenges (id),
    proposal_id       INTEGER NOT NULL REFERENCES proposals (id),
    reviewer_user_id  INTEGER NOT NULL REFERENCES users (id),
    status            TEXT NOT NULL CHECK (status IN ('assigned', 'accepted', 'conflict_declared', 'removed')),
    assigned_by       INTEGER NULL REFERENCES users (id),
    assigned_at       TEXT NOT NULL,
    responded_at      TEXT NULL,
    conflict_reason   TEXT NULL,
    removed_by        INTEGER NULL REFERENCES users (id),
    removed_at        TEXT NULL
);
INSERT INTO review_assignments_rebuilt (id, challenge_id, proposal_id, reviewer_user_id, status, assigned_by, assigned_at, responded_at, conflict_reason, removed_by, removed_at)
SELECT id, challenge_id, proposal_id, reviewer_user_id, status, assigned_by, assigned_at, responded_at, conflict_reason, removed_by, removed_at FROM review_assignments;
DROP TABLE review_assignments;
ALTER TABLE review_assignments_rebuilt RENAME TO review_assignments;
CREATE UNIQUE INDEX ux_review_assignments_live ON review_assignments (proposal_id, reviewer_user_id) WHERE status IN ('assigned', 'accepted');
CREATE INDEX ix_review_assignments_challenge ON review_assignments (challenge_id);
CREATE INDEX ix_review_assignments_reviewer ON review_assignments (reviewer_user_id, status);

CREATE TABLE review_scores (
    id             INTEGER PRIMARY KEY,
    assignment_id  INTEGER NOT NULL REFERENCES review_assignments (id),
    criterion_id   INTEGER NOT NULL REFERENCES review_criteria (id),
    score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    comment        TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
INSERT INTO review_scores (id, assignment_id, criterion_id, score, comment, recorded_at)
SELECT id, assignment_id, criterion_id, score, comment, recorded_at FROM review_scores_copy;
DROP TABLE review_scores_copy;
CREATE INDEX ix_review_scores_assignment ON review_scores (assignment_id, criterion_id, id);
