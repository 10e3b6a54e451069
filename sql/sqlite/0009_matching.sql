-- The matcher's persisted work: each run (status and progress), the top vendors stored per challenge for
-- the pages, and the decisions people make about suggestions, which the re-ranker learns from.
CREATE TABLE match_runs (
    id           INTEGER PRIMARY KEY,
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    challenges   INTEGER NOT NULL DEFAULT 0,
    vendors      INTEGER NOT NULL DEFAULT 0,
    progress     INTEGER NOT NULL DEFAULT 0,
    ranker       TEXT NOT NULL DEFAULT 'text',
    message      TEXT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NULL
);

CREATE TABLE match_results (
    challenge_id  INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    vendor_id     INTEGER NOT NULL REFERENCES organisations (id),
    rank          INTEGER NOT NULL,
    score         REAL NOT NULL,
    explanation   TEXT NOT NULL,
    run_id        INTEGER NOT NULL REFERENCES match_runs (id),
    computed_at   TEXT NOT NULL,
    PRIMARY KEY (challenge_id, vendor_id)
);
CREATE INDEX ix_match_results_vendor ON match_results (vendor_id);

CREATE TABLE match_signals (
    id            INTEGER PRIMARY KEY,
    challenge_id  INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    vendor_id     INTEGER NOT NULL REFERENCES organisations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('invited', 'dismissed', 'shortlisted', 'awarded')),
    user_id       INTEGER NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX ix_match_signals_challenge ON match_signals (challenge_id, vendor_id);
