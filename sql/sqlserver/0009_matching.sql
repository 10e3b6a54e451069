-- The matcher's persisted work: each run (status and progress), the top vendors stored per challenge for
-- the pages, and the decisions people make about suggestions, which the re-ranker learns from.
CREATE TABLE match_runs (
    id           BIGINT IDENTITY(1, 1) PRIMARY KEY,
    reason       NVARCHAR(64) NOT NULL,
    status       NVARCHAR(16) NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    challenges   INT NOT NULL DEFAULT 0,
    vendors      INT NOT NULL DEFAULT 0,
    progress     INT NOT NULL DEFAULT 0,
    ranker       NVARCHAR(32) NOT NULL DEFAULT 'text',
    message      NVARCHAR(MAX) NULL,
    started_at   DATETIMEOFFSET NOT NULL,
    finished_at  DATETIMEOFFSET NULL
);

CREATE TABLE match_results (
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    vendor_id     BIGINT NOT NULL REFERENCES organisations (id),
    rank          INT NOT NULL,
    score         FLOAT NOT NULL,
    explanation   NVARCHAR(MAX) NOT NULL,
    run_id        BIGINT NOT NULL REFERENCES match_runs (id),
    computed_at   DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (challenge_id, vendor_id)
);
CREATE INDEX ix_match_results_vendor ON match_results (vendor_id);

CREATE TABLE match_signals (
    id            BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    vendor_id     BIGINT NOT NULL REFERENCES organisations (id),
    kind          NVARCHAR(16) NOT NULL CHECK (kind IN ('invited', 'dismissed', 'shortlisted', 'awarded')),
    user_id       BIGINT NULL REFERENCES users (id),
    created_at    DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_match_signals_challenge ON match_signals (challenge_id, vendor_id);
