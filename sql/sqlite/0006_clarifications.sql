-- Clarification questions vendors ask on a published challenge and the answers the enterprise or an
-- officer publishes. The asker is stored for their own view and for notifications, never shown to others.
CREATE TABLE challenge_questions (
    id                     INTEGER PRIMARY KEY,
    challenge_id           INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    asked_by_user_id       INTEGER NOT NULL REFERENCES users (id),
    asked_by_organisation  INTEGER NOT NULL REFERENCES organisations (id),
    question               TEXT NOT NULL,
    asked_at               TEXT NOT NULL,
    answer                 TEXT NULL,
    answered_by_user_id    INTEGER NULL REFERENCES users (id),
    answered_at            TEXT NULL
);
CREATE INDEX ix_challenge_questions_challenge ON challenge_questions (challenge_id);
