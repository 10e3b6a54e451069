-- E-mail. Every notification that should reach someone's inbox gets one email_outbox row, written in the same
-- transaction as the notification row (so a rolled-back change mails nobody). The dispatcher claims pending rows
-- (claim_owner + claim_expires_at, so two app servers never send the same row), sends them, and marks them sent;
-- a failure is retried at next_attempt_at with exponential backoff until Email:MaxAttempts, then the row is dead
-- (dead letter) until an administrator retries it. message_id is the RFC 5322 Message-ID, fixed when the row is
-- written and reused on every attempt.
-- status: pending (to send), sent, dead (gave up), suppressed (the recipient turned this kind or all e-mail off),
-- digest (waits for the recipient's daily digest), digested (went out inside the digest row digest_id).
CREATE TABLE email_outbox (
    id                 INTEGER PRIMARY KEY,
    notification_id    INTEGER NULL REFERENCES notifications (id) ON DELETE SET NULL,
    recipient_user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind               TEXT NOT NULL,
    recipient_address  TEXT NOT NULL,
    language           TEXT NOT NULL,
    subject            TEXT NOT NULL,
    text_body          TEXT NOT NULL,
    html_body          TEXT NOT NULL,
    status             TEXT NOT NULL,
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    TEXT NOT NULL,
    claim_owner        TEXT NULL,
    claim_expires_at   TEXT NULL,
    last_error         TEXT NULL,
    message_id         TEXT NOT NULL UNIQUE,
    digest_id          INTEGER NULL REFERENCES email_outbox (id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    sent_at            TEXT NULL
);
CREATE INDEX ix_email_outbox_due ON email_outbox (status, next_attempt_at);
CREATE INDEX ix_email_outbox_recipient ON email_outbox (recipient_user_id, status);

-- Per-user e-mail preferences. No row means the defaults: every kind on, one mail per notification. mode is
-- 'single' or 'digest'; unsubscribed_at set means no e-mail at all (the one-click unsubscribe); unsubscribe_token
-- lets the link in every mail work without signing in. last_digest_on is the UTC day of the last daily digest.
CREATE TABLE email_preferences (
    user_id            INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    mode               TEXT NOT NULL DEFAULT 'single',
    unsubscribed_at    TEXT NULL,
    unsubscribe_token  TEXT NOT NULL UNIQUE,
    last_digest_on     TEXT NULL,
    updated_at         TEXT NOT NULL
);

-- The notification kinds a user turned off for e-mail (they still see them in the app).
CREATE TABLE email_kind_optouts (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
