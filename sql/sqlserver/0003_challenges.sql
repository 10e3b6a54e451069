-- Challenges (industrial problem scenarios) posted by enterprises, their measurable acceptance
-- targets and tags. Money is a decimal amount with an ISO 4217 currency code; times are UTC.
CREATE TABLE challenges (
    id                BIGINT IDENTITY(1, 1) PRIMARY KEY,
    slug              NVARCHAR(200) NULL,
    enterprise_id     BIGINT NOT NULL REFERENCES organisations (id),
    created_by        BIGINT NULL REFERENCES users (id),
    language          NVARCHAR(8) NOT NULL CHECK (language IN ('zh', 'en')),
    title             NVARCHAR(400) NOT NULL,
    industry          NVARCHAR(64) NOT NULL,
    scenario          NVARCHAR(MAX) NOT NULL,
    current_process   NVARCHAR(MAX) NULL,
    data_available    NVARCHAR(MAX) NULL,
    constraints_text  NVARCHAR(MAX) NULL,
    expected_outcome  NVARCHAR(MAX) NULL,
    target_trl        INT NOT NULL CHECK (target_trl BETWEEN 1 AND 9),
    budget_amount     DECIMAL(18, 2) NULL,
    budget_currency   NCHAR(3) NOT NULL DEFAULT 'CNY',
    deadline_at       DATETIMEOFFSET NOT NULL,
    status            NVARCHAR(32) NOT NULL,
    visibility        NVARCHAR(16) NOT NULL CHECK (visibility IN ('public', 'confidential')),
    published_at      DATETIMEOFFSET NULL,
    created_at        DATETIMEOFFSET NOT NULL,
    updated_at        DATETIMEOFFSET NOT NULL,
    row_version       INT NOT NULL DEFAULT 1
);
-- SQL Server's UNIQUE constraint admits one NULL only; a filtered index gives the portable meaning.
CREATE UNIQUE INDEX ux_challenges_slug ON challenges (slug) WHERE slug IS NOT NULL;
CREATE INDEX ix_challenges_status_deadline ON challenges (status, deadline_at);
CREATE INDEX ix_challenges_enterprise ON challenges (enterprise_id);

CREATE TABLE challenge_acceptance_targets (
    id            BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    position      INT NOT NULL,
    metric        NVARCHAR(400) NOT NULL,
    threshold     NVARCHAR(200) NOT NULL,
    test_method   NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_acceptance_targets_challenge ON challenge_acceptance_targets (challenge_id);

CREATE TABLE challenge_tags (
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    tag           NVARCHAR(64) NOT NULL,
    PRIMARY KEY (challenge_id, tag)
);
CREATE INDEX ix_challenge_tags_tag ON challenge_tags (tag);
