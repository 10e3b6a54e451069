-- The programme office's award decision on a reviewed challenge: the winning proposals (at most the quota in
-- force when it was decided) or no award with its reason, and the written feedback every non-winning proposal
-- receives. A decision is recorded once and never changed (the audit log holds who, when and why). Times are UTC.
CREATE TABLE award_decisions (
    challenge_id  INTEGER PRIMARY KEY REFERENCES challenges (id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('awarded', 'not_awarded')),
    reason        TEXT NULL,
    quota         INTEGER NOT NULL,
    decided_by    INTEGER NOT NULL REFERENCES users (id),
    decided_at    TEXT NOT NULL
);

-- A winner: the proposal and the version of it that won, in rank order (position 1..quota).
CREATE TABLE award_winners (
    challenge_id      INTEGER NOT NULL REFERENCES award_decisions (challenge_id),
    proposal_id       INTEGER NOT NULL REFERENCES proposals (id),
    vendor_id         INTEGER NOT NULL REFERENCES organisations (id),
    proposal_version  INTEGER NOT NULL,
    position            INTEGER NOT NULL,
    PRIMARY KEY (challenge_id, proposal_id),
    UNIQUE (challenge_id, position)
);
CREATE INDEX ix_award_winners_vendor ON award_winners (vendor_id);

-- The written feedback to a proposal that did not win (required for each of them).
CREATE TABLE award_feedback (
    challenge_id  INTEGER NOT NULL REFERENCES award_decisions (challenge_id),
    proposal_id   INTEGER NOT NULL REFERENCES proposals (id),
    feedback      TEXT NOT NULL,
    written_by    INTEGER NOT NULL REFERENCES users (id),
    written_at    TEXT NOT NULL,
    PRIMARY KEY (challenge_id, proposal_id)
);
