-- Clarification questions vendors ask on a published challenge and the answers the enterprise or an
-- officer publishes. The asker is stored for their own view and for notifications, never shown to others.
CREATE TABLE challenge_questions (
    id                     BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id           BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    asked_by_user_id       BIGINT NOT NULL REFERENCES users (id),
    asked_by_organisation  BIGINT NOT NULL REFERENCES organisations (id),
    question               NVARCHAR(MAX) NOT NULL,
    asked_at               DATETIMEOFFSET NOT NULL,
    answer                 NVARCHAR(MAX) NULL,
    answered_by_user_id    BIGINT NULL REFERENCES users (id),
    answered_at            DATETIMEOFFSET NULL
);
CREATE INDEX ix_challenge_questions_challenge ON challenge_questions (challenge_id);
