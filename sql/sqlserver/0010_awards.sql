-- The programme office's award decision on a reviewed challenge: the winning proposals (at most the quota in
-- force when it was decided) or no award with its reason, and the written feedback every non-winning proposal
-- receives. A decision is recorded once and never changed (the audit log holds who, when and why). Times are UTC.
CREATE TABLE award_decisions (
    challenge_id  BIGINT PRIMARY KEY REFERENCES challenges (id),
    outcome       NVARCHAR(16) NOT NULL CHECK (outcome IN ('awarded', 'not_awarded')),
    reason        NVARCHAR(2000) NULL,
    quota         INT NOT NULL,
    decided_by    BIGINT NOT NULL REFERENCES users (id),
    decided_at    DATETIMEOFFSET NOT NULL
);

-- A winner: the proposal and the version of it that won, in rank order (position 1..quota).
CREATE TABLE award_winners (
    challenge_id      BIGINT NOT NULL REFERENCES award_decisions (challenge_id),
    proposal_id       BIGINT NOT NULL REFERENCES proposals (id),
    vendor_id         BIGINT NOT NULL REFERENCES organisations (id),
    proposal_version  INT NOT NULL,
    position            INT NOT NULL,
    PRIMARY KEY (challenge_id, proposal_id),
    CONSTRAINT ux_award_winners_position UNIQUE (challenge_id, position)
);
CREATE INDEX ix_award_winners_vendor ON award_winners (vendor_id);

-- The written feedback to a proposal that did not win (required for each of them).
CREATE TABLE award_feedback (
    challenge_id  BIGINT NOT NULL REFERENCES award_decisions (challenge_id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals (id),
    feedback      NVARCHAR(4000) NOT NULL,
    written_by    BIGINT NOT NULL REFERENCES users (id),
    written_at    DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (challenge_id, proposal_id)
);
