-- Challenges (industrial problem scenarios) posted by enterprises, their measurable acceptance
-- targets and tags. Money is a decimal amount with an ISO 4217 currency code; times are UTC.
CREATE TABLE challenges (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NULL UNIQUE,
    enterprise_id     INTEGER NOT NULL REFERENCES organisations (id),
    created_by        INTEGER NULL REFERENCES users (id),
    language          TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    title             TEXT NOT NULL,
    industry          TEXT NOT NULL,
    scenario          TEXT NOT NULL,
    current_process   TEXT NULL,
    data_available    TEXT NULL,
    constraints_text  TEXT NULL,
    expected_outcome  TEXT NULL,
    target_trl        INTEGER NOT NULL CHECK (target_trl BETWEEN 1 AND 9),
    budget_amount     NUMERIC NULL,
    budget_currency   TEXT NOT NULL DEFAULT 'CNY',
    deadline_at       TEXT NOT NULL,
    status            TEXT NOT NULL,
    visibility        TEXT NOT NULL CHECK (visibility IN ('public', 'confidential')),
    published_at      TEXT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    row_version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_challenges_status_deadline ON challenges (status, deadline_at);
CREATE INDEX ix_challenges_enterprise ON challenges (enterprise_id);

CREATE TABLE challenge_acceptance_targets (
    id            INTEGER PRIMARY KEY,
    challenge_id  INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    metric        TEXT NOT NULL,
    threshold     TEXT NOT NULL,
    test_method   TEXT NOT NULL
);
CREATE INDEX ix_acceptance_targets_challenge ON challenge_acceptance_targets (challenge_id);

CREATE TABLE challenge_tags (
    challenge_id  INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    tag           TEXT NOT NULL,
    PRIMARY KEY (challenge_id, tag)
);
CREATE INDEX ix_challenge_tags_tag ON challenge_tags (tag);
