-- Review of a closed challenge's technical envelopes. An officer assigns a reviewer per (reviewer, proposal);
-- the reviewer accepts or declares a conflict of interest (kept as a record); an officer may remove an
-- assignment that has no scores (kept as a record too). Each challenge has its weighted rubric, frozen once the
-- first score is recorded. Scores are append-only: every save adds rows, the latest per assignment and criterion
-- counts. Technical scoring closes when the officer opens the price envelopes (price_envelope_openings).
-- award_quotas holds an officer's per-challenge winner quota (the configured default otherwise). Times are UTC.
CREATE TABLE review_assignments (
    id                BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id      BIGINT NOT NULL REFERENCES challenges (id),
    proposal_id       BIGINT NOT NULL REFERENCES proposals (id),
    reviewer_user_id  BIGINT NOT NULL REFERENCES users (id),
    status            NVARCHAR(24) NOT NULL CHECK (status IN ('assigned', 'accepted', 'conflict_declared', 'removed')),
    assigned_by       BIGINT NOT NULL REFERENCES users (id),
    assigned_at       DATETIMEOFFSET NOT NULL,
    responded_at      DATETIMEOFFSET NULL,
    conflict_reason   NVARCHAR(2000) NULL,
    removed_by        BIGINT NULL REFERENCES users (id),
    removed_at        DATETIMEOFFSET NULL
);
-- One live assignment per reviewer and proposal (a removed one may be made again; a declared conflict blocks it in code).
CREATE UNIQUE INDEX ux_review_assignments_live ON review_assignments (proposal_id, reviewer_user_id) WHERE status IN ('assigned', 'accepted');
CREATE INDEX ix_review_assignments_challenge ON review_assignments (challenge_id);
CREATE INDEX ix_review_assignments_reviewer ON review_assignments (reviewer_user_id, status);

CREATE TABLE review_criteria (
    id            BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id),
    position      INT NOT NULL,
    name_zh       NVARCHAR(200) NOT NULL,
    name_en       NVARCHAR(200) NOT NULL,
    weight        INT NOT NULL CHECK (weight BETWEEN 1 AND 100),
    CONSTRAINT ux_review_criteria_position UNIQUE (challenge_id, position)
);

CREATE TABLE review_scores (
    id             BIGINT IDENTITY(1, 1) PRIMARY KEY,
    assignment_id  BIGINT NOT NULL REFERENCES review_assignments (id),
    criterion_id   BIGINT NOT NULL REFERENCES review_criteria (id),
    score          INT NOT NULL CHECK (score BETWEEN 1 AND 10),
    comment        NVARCHAR(2000) NOT NULL,
    recorded_at    DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_review_scores_assignment ON review_scores (assignment_id, criterion_id, id);

CREATE TABLE award_quotas (
    challenge_id  BIGINT PRIMARY KEY REFERENCES challenges (id),
    quota         INT NOT NULL CHECK (quota BETWEEN 1 AND 20),
    set_by        BIGINT NOT NULL REFERENCES users (id),
    set_at        DATETIMEOFFSET NOT NULL
);
